"""Service uses a threading.Event and waits on it inside the coroutine: event.wait(timeout)
blocks the whole event loop, so start() never gets to run while a task waits.

Loses: service_ready
"""

import threading


class Service:
    def __init__(self):
        self.finished = threading.Event()
        self.error = None

    async def start(self, init):
        try:
            return await init()
        except Exception as exc:
            self.error = exc
            raise
        finally:
            self.finished.set()

    async def ready(self, timeout=None):
        if not self.finished.wait(timeout):
            raise TimeoutError(f"not ready within {timeout} s")
        if self.error is not None:
            raise self.error
