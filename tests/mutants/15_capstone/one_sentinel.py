"""shutdown() puts a single sentinel on the queue, so only one worker stops and join() waits forever.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        with self._cond:
            if cancel_pending:
                for job in self._jobs.values():
                    if job.status == PENDING:
                        job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            if not self._closed:
                self._closed = True
                self._queue.put(None)
        if wait:
            for worker in self._workers:
                worker.join()
            for thread in list(self._job_threads):
                thread.join()
