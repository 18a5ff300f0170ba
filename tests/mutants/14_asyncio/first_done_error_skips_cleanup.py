"""first_done calls result() on the first finished task before cancelling the others: when that
task raised, the exception leaves first_done with the other tasks still running.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if not done:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise TimeoutError(f"no fetch finished within {timeout} s")
    result = done.pop().result()
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return result
