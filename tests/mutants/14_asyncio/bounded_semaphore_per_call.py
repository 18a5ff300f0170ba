"""bounded_gather creates a new Semaphore inside each fetch wrapper, so nothing is shared and
nothing is limited.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    async def one(x):
        async with asyncio.Semaphore(limit):
            return await fetch(x)

    return await asyncio.gather(*(one(x) for x in items))
