"""bounded_gather acquires and releases the semaphore by hand without try/finally: a fetch that
raises keeps its slot for ever, so fewer fetches can run (with limit=1, none at all).

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    semaphore = asyncio.Semaphore(limit)

    async def one(x):
        await semaphore.acquire()
        result = await fetch(x)
        semaphore.release()
        return result

    return await asyncio.gather(*(one(x) for x in items))
