"""Each job's timeout clock is a Timer started at submit, so time spent in the queue counts.

Loses: job_timeouts
"""

import threading


class JobRunner(JobRunner):
    def submit(self, fn, *args, timeout=None):
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit jobs after shutdown()")
            job = _Job(next(self._ids), fn, args, None)
            self._jobs[job.id] = job
            self._queue.put(job)
        if timeout is not None:
            timer = threading.Timer(timeout, _finish, args=(self, job, Outcome(TIMED_OUT)))
            timer.daemon = True
            timer.start()
        return job.id
