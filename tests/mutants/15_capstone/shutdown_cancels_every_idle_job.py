"""shutdown(cancel_pending=True) cancels every job that is not RUNNING, finished ones included:
a job that already returned (or failed) is reported CANCELLED afterwards.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        with self._cond:
            if cancel_pending:
                for job in self._jobs.values():
                    if job.status != RUNNING:
                        job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            if not self._closed:
                self._closed = True
                for _ in self._workers:
                    self._queue.put(None)
        if not wait:
            return
        for worker in self._workers:
            worker.join()
        with self._cond:
            job_threads = list(self._job_threads)
        for thread in job_threads:
            thread.join()
