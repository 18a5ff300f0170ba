"""all_or_nothing gathers with return_exceptions=True, so a failure comes back as a list item
instead of being raised.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
