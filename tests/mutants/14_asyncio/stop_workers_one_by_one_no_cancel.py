"""shutdown awaits the tasks one by one without cancelling them: a worker never ends by itself,
so shutdown waits for ever.

Loses: stop_workers
"""

import asyncio


async def shutdown(tasks, timeout):
    failures = []
    for task in tasks:
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            failures.append(exc)
    return failures
