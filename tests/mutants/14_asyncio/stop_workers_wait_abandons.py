"""shutdown waits with asyncio.wait(tasks, timeout=timeout) and ignores what is still pending:
a task that ignores its cancellation is abandoned silently, and shutdown returns as if all had
stopped.

Loses: stop_workers
"""

import asyncio


async def shutdown(tasks, timeout):
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)
    return [task.exception() for task in tasks
            if task.done() and not task.cancelled() and task.exception() is not None]
