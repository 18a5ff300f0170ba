"""first_done cancels the pending tasks but returns without waiting for them to finish cancelling.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return done.pop().result()
