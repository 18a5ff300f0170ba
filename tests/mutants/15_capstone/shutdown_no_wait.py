"""shutdown() queues the sentinels and returns at once, even with wait=True.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        super().shutdown(wait=False, cancel_pending=cancel_pending)
