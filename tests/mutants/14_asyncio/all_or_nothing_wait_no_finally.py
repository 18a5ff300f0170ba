"""all_or_nothing uses asyncio.wait(FIRST_EXCEPTION, timeout) and cleans up in straight-line
code, not in a finally block: when the caller cancels all_or_nothing while it waits, every fetch
task is left running.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            raise task.exception()
    if pending:
        raise TimeoutError(f"not all fetches finished within {timeout} s")
    return [task.result() for task in tasks]
