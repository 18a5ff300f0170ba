"""shutdown bounds asyncio.gather(*tasks, return_exceptions=True) with asyncio.wait_for: on
timeout wait_for cancels the gather and then waits for the cancellation to finish, so a task that
ignores cancel() makes shutdown wait for ever instead of raising TimeoutError.

Loses: stop_workers
"""

import asyncio


async def shutdown(tasks, timeout):
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout)
    return [r for r in results if isinstance(r, Exception)]
