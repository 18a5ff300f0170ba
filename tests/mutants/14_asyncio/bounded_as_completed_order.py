"""bounded_gather collects the results with asyncio.as_completed: completion order, not the order
of items (equal delays hide it).

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    semaphore = asyncio.Semaphore(limit)

    async def one(x):
        async with semaphore:
            return await fetch(x)

    return [await next_done for next_done in asyncio.as_completed([one(x) for x in items])]
