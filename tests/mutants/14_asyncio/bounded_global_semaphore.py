"""bounded_gather keeps one module-level Semaphore, created on the first call: later calls keep
the first call's limit.

Loses: bounded_gather
"""

import asyncio

_semaphore = None


async def bounded_gather(fetch, items, limit):
    global _semaphore
    if _semaphore is None:
        _semaphore = asyncio.Semaphore(limit)

    async def one(x):
        async with _semaphore:
            return await fetch(x)

    return await asyncio.gather(*(one(x) for x in items))
