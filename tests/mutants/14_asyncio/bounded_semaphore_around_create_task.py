"""bounded_gather holds the semaphore only while creating each task, not while the fetch runs.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    semaphore = asyncio.Semaphore(limit)
    tasks = []
    for x in items:
        async with semaphore:
            tasks.append(asyncio.create_task(fetch(x)))
    return await asyncio.gather(*tasks)
