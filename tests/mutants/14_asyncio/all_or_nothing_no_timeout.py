"""all_or_nothing cancels the others on failure but ignores timeout: it waits as long as the fetches do.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        return await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
