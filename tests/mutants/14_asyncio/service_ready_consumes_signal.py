"""Service.ready treats the Event as a one-shot signal and clear()s it once it has woken: the
first caller gets through, and a task that asks later waits for a start that already happened.

Loses: service_ready
"""

import asyncio


class Service:
    def __init__(self):
        self.finished = asyncio.Event()
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
        try:
            await asyncio.wait_for(self.finished.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
        self.finished.clear()  # the signal has been received
        if self.error is not None:
            raise self.error
