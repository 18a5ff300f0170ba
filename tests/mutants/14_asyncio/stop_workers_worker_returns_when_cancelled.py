"""The worker catches CancelledError, logs that it stopped and returns normally: the task ends
as if it had finished, not cancelled.

Loses: stop_workers
"""

import asyncio


async def worker(name, jobs, handle, log):
    log.append(f"{name} started")
    while True:
        try:
            job = await jobs.get()
        except asyncio.CancelledError:
            log.append(f"{name} stopped")
            return
        try:
            await handle(job)
        except asyncio.CancelledError:
            log.append(f"{name} stopped")
            return
        except Exception:
            log.append(f"{name} failed {job!r}")
        finally:
            jobs.task_done()
