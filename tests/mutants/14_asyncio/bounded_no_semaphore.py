"""bounded_gather ignores limit: every fetch runs at once.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    return await asyncio.gather(*(fetch(x) for x in items))
