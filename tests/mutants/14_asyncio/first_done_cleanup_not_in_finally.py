"""first_done cancels and awaits the other tasks in straight-line code after asyncio.wait, not
in a finally block: when the caller cancels first_done while it waits, every fetch task is left
running.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return done.pop().result()
