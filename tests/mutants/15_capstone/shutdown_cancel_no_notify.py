"""shutdown(cancel_pending=True) marks the pending jobs CANCELLED without notifying the
condition: threads already blocked in outcome() for them are not woken.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        with self._cond:
            if cancel_pending:
                for job in self._jobs.values():
                    if job.status == PENDING:
                        job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
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
