"""The job thread guards only the success path against a late result: a timed-out call that
raises afterwards turns the job from TIMED_OUT into FAILED.

Loses: job_timeouts
"""


def _run(runner, job):
    try:
        value = job.fn(*job.args)
    except BaseException as exc:  # noqa: BLE001
        with runner._cond:
            job.status, job.outcome = FAILED, Outcome(FAILED, error=exc)
            runner._cond.notify_all()
    else:
        _finish(runner, job, Outcome(DONE, value=value))
