"""outcome() calls cond.wait(timeout) once instead of waiting for ITS job to finish: the first
notify_all (any job finishing) wakes it, and it returns job.outcome while the job is still
running (None), or raises TimeoutError too early.

Loses: submit_and_collect
"""


class JobRunner(JobRunner):
    def outcome(self, job_id, timeout=None):
        with self._cond:
            job = self._jobs[job_id]
            if job.status not in FINISHED:
                if not self._cond.wait(timeout):
                    raise TimeoutError(f"job {job_id} has not finished within {timeout} s")
            return job.outcome
