"""cancel() looks the job up with dict.get and returns False for an unknown id instead of
raising KeyError.

Loses: cancel_jobs
"""


class JobRunner(JobRunner):
    def cancel(self, job_id):
        with self._cond:
            job = self._jobs.get(job_id)
            if job is None:
                return False
            if job.status == PENDING:
                job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            return job.status == CANCELLED
