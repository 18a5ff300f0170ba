"""outcome(job, timeout) returns None when the wait times out instead of raising TimeoutError.

Loses: submit_and_collect
"""


def _outcome(self, job_id, timeout=None):
    with self._cond:
        job = self._jobs[job_id]
        self._cond.wait_for(lambda: job.status in FINISHED, timeout)
        return job.outcome


JobRunner.outcome = _outcome
