"""shutdown awaits asyncio.gather(*tasks) without return_exceptions=True: the first task to end
cancelled (or failed) makes gather raise at once, and shutdown stops waiting for the others.

Loses: stop_workers
"""

import asyncio


async def shutdown(tasks, timeout):
    for task in tasks:
        task.cancel()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    except asyncio.CancelledError:
        pass
    return [task.exception() for task in tasks
            if task.done() and not task.cancelled() and task.exception() is not None]
