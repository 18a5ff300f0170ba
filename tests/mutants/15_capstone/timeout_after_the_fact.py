"""The worker calls the job itself and only afterwards compares the elapsed time with the timeout.

Loses: job_timeouts
"""

import time


def _execute(runner, job):
    start = time.monotonic()
    try:
        value = job.fn(*job.args)
    except Exception as exc:
        _finish(runner, job, Outcome(FAILED, error=exc))
        return
    if job.timeout is not None and time.monotonic() - start > job.timeout:
        _finish(runner, job, Outcome(TIMED_OUT))
    else:
        _finish(runner, job, Outcome(DONE, value=value))
