"""with_timeout cancels the call on timeout but raises at once, before the call has finished its
clean-up.

Loses: with_timeout
"""

import asyncio


async def with_timeout(coro, timeout):
    task = asyncio.ensure_future(coro)
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout)
    except asyncio.CancelledError:
        task.cancel()
        raise
    if not done:
        task.cancel()
        raise TimeoutError(f"not finished within {timeout} s")
    return task.result()
