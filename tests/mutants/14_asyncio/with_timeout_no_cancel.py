"""with_timeout waits with asyncio.wait(timeout=...) and raises TimeoutError without cancelling the
call: it goes on running after with_timeout has given up on it (and when the caller cancels).

Loses: with_timeout
"""

import asyncio


async def with_timeout(coro, timeout):
    task = asyncio.ensure_future(coro)
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        raise TimeoutError(f"not finished within {timeout} s")
    return task.result()
