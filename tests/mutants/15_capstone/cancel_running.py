"""cancel() also "cancels" running jobs: it returns True and marks them cancelled, but they keep running.

Loses: cancel_jobs
"""


class JobRunner(JobRunner):
    def cancel(self, job_id):
        with self._cond:
            job = self._jobs[job_id]
            if job.status in (PENDING, RUNNING):
                job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            return job.status == CANCELLED
