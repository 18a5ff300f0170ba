"""The worker keeps the bare `except:` around handle(job): a cancellation that arrives while it
handles a job is logged as a failed job and the worker goes on, so shutdown times out.

Loses: stop_workers
"""


async def worker(name, jobs, handle, log):
    log.append(f"{name} started")
    try:
        while True:
            job = await jobs.get()
            try:
                await handle(job)
            except BaseException:
                log.append(f"{name} failed {job!r}")
            finally:
                jobs.task_done()
    finally:
        log.append(f"{name} stopped")
