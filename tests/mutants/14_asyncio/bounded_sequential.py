"""bounded_gather awaits each fetch before starting the next: correct results, no concurrency.

Loses: bounded_gather
"""

import asyncio


async def bounded_gather(fetch, items, limit):
    semaphore = asyncio.Semaphore(limit)
    results = []
    for x in items:
        async with semaphore:
            results.append(await fetch(x))
    return results
