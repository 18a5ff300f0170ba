"""A job that raises is not caught, so its thread dies and the job never gets an outcome.

Loses: submit_and_collect
"""


def _run(runner, job):
    value = job.fn(*job.args)
    _finish(runner, job, Outcome(DONE, value=value))
