"""The worker does not check whether a queued job was cancelled, so it runs cancelled jobs anyway.

Loses: cancel_jobs
"""


def _worker(runner):
    while True:
        job = runner._queue.get()
        if job is None:
            return
        with runner._cond:
            job.status = RUNNING
        _execute(runner, job)
