"""shutdown() ignores wait=False and always joins every thread: shutdown(wait=False) blocks
until the running jobs have finished.

Loses: graceful_shutdown
"""


class JobRunner(JobRunner):
    def shutdown(self, wait=True, cancel_pending=False):
        super().shutdown(wait=True, cancel_pending=cancel_pending)
