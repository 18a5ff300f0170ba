"""cancel() marks the job CANCELLED but does not notify the condition: a thread already blocked
in outcome() for that job is not woken, and waits until some other job happens to finish.

Loses: cancel_jobs
"""


class JobRunner(JobRunner):
    def cancel(self, job_id):
        with self._cond:
            job = self._jobs[job_id]
            if job.status == PENDING:
                job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
            return job.status == CANCELLED
