"""The worker calls jobs.task_done() only after a job's handle returned or raised an Exception,
not in a finally: the job it was cancelled in is never marked done, and jobs.join() waits for ever.

Loses: stop_workers
"""


async def worker(name, jobs, handle, log):
    log.append(f"{name} started")
    try:
        while True:
            job = await jobs.get()
            try:
                await handle(job)
            except Exception:
                log.append(f"{name} failed {job!r}")
            jobs.task_done()
    finally:
        log.append(f"{name} stopped")
