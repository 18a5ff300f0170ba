"""A timed-out job's late return value overwrites its TIMED_OUT outcome.

Loses: job_timeouts
"""


def _finish(runner, job, outcome):
    with runner._cond:
        if job.status == CANCELLED:
            return False
        job.status, job.outcome = outcome.status, outcome
        runner._cond.notify_all()
        return True
