"""bounded_gather gathers with return_exceptions=True and returns the list: a failing fetch's
exception comes back as a value instead of being raised.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    semaphore = asyncio.Semaphore(limit)

    async def one(x):
        async with semaphore:
            return await fetch(x)

    return await asyncio.gather(*(one(x) for x in items), return_exceptions=True)
