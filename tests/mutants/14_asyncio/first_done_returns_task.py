"""first_done returns the finished Task object instead of its result.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        done, _pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return done.pop()
