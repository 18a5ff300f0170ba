"""first_done forgets return_when=FIRST_COMPLETED, so asyncio.wait waits for every task (or the timeout).

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        done, _pending = await asyncio.wait(tasks, timeout=timeout)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return next(iter(done)).result()
