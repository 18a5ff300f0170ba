"""submit starts a new thread for every job at once, so max_workers is never enforced.

Loses: submit_and_collect
"""

import threading


def _start_now(runner, job):
    with runner._cond:
        if job.status != PENDING:
            return
        job.status = RUNNING
    _execute(runner, job)


class JobRunner(JobRunner):
    def submit(self, fn, *args, timeout=None):
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit jobs after shutdown()")
            job = _Job(next(self._ids), fn, args, timeout)
            self._jobs[job.id] = job
        threading.Thread(target=_start_now, args=(self, job), daemon=True).start()
        return job.id
