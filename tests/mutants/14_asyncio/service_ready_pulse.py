"""Service.start "wakes the waiters" with set() followed at once by clear(): the tasks already
waiting get through, but every task that calls ready() later waits for ever.

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
            self.finished.clear()  # reset the signal for next time

    async def ready(self, timeout=None):
        if self.error is not None:
            raise self.error
        try:
            await asyncio.wait_for(self.finished.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
        if self.error is not None:
            raise self.error
