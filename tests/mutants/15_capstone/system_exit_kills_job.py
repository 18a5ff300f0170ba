"""A job that raises BaseException (SystemExit) ends without an outcome: its waiters hang.

Loses: submit_and_collect
"""


def _run(runner, job):
    try:
        value = job.fn(*job.args)
    except Exception as exc:
        _finish(runner, job, Outcome(FAILED, error=exc))
    else:
        _finish(runner, job, Outcome(DONE, value=value))
