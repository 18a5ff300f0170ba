"""shutdown() joins the worker threads but not the threads of timed-out jobs, which are still running.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        super().shutdown(wait=False, cancel_pending=cancel_pending)
        if wait:
            for worker in self._workers:
                worker.join()
