"""bounded_gather runs the items in batches of limit: a new fetch only starts when the whole
previous batch has finished.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    items = list(items)
    results = []
    for start in range(0, len(items), limit):
        results += await asyncio.gather(*(fetch(x) for x in items[start:start + limit]))
    return results
