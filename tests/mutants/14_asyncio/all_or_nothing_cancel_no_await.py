"""all_or_nothing cancels the other fetches on failure or timeout but does not wait for them to
finish cancelling.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        return await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
