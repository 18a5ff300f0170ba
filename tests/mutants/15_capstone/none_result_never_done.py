"""outcome() takes "value is None" for "no result yet": a job that returns None (and has not
failed) never counts as finished, so outcome() waits until its timeout.

Loses: submit_and_collect
"""


class JobRunner(JobRunner):
    def outcome(self, job_id, timeout=None):
        with self._cond:
            job = self._jobs[job_id]

            def ready():
                got = job.outcome
                return got is not None and (got.value is not None or got.error is not None
                                            or got.status in (TIMED_OUT, CANCELLED))

            if not self._cond.wait_for(ready, timeout):
                raise TimeoutError(f"job {job_id} has not finished within {timeout} s")
            return job.outcome
