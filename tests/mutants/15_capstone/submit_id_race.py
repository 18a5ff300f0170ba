"""submit() hands out ids from a plain counter read and written outside the lock: two threads
submitting at once can get the same id (and one job replaces the other).

Loses: submit_and_collect
"""


class JobRunner(JobRunner):
    def __init__(self, max_workers=2):
        super().__init__(max_workers)
        self._next_id = 0

    def submit(self, fn, *args, timeout=None):
        job_id = self._next_id + 1
        self._next_id = job_id
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit jobs after shutdown()")
            job = _Job(job_id, fn, args, timeout)
            self._jobs[job.id] = job
            self._queue.put(job)
        return job.id
