"""cancel() returns True only the first time: an already cancelled job answers False.

Loses: cancel_jobs
"""


def _cancel(self, job_id):
    with self._cond:
        job = self._jobs[job_id]
        if job.status == PENDING:
            job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
            self._cond.notify_all()
            return True
        return False


JobRunner.cancel = _cancel
