"""first_done returns the first result but leaves the other tasks running.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, _pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return done.pop().result()
