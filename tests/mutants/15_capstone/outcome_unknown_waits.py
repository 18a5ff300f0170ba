"""outcome() looks the job up with dict.get and waits for it to finish: an unknown id waits the
whole timeout and raises TimeoutError (or waits for ever) instead of raising KeyError.

Loses: submit_and_collect
"""


class JobRunner(JobRunner):
    def outcome(self, job_id, timeout=None):
        with self._cond:
            def finished():
                job = self._jobs.get(job_id)
                return job is not None and job.status in FINISHED

            if not self._cond.wait_for(finished, timeout):
                raise TimeoutError(f"job {job_id} has not finished within {timeout} s")
            return self._jobs[job_id].outcome
