"""Service.start sets the event only when init() succeeds: when it fails, the tasks already
waiting in ready() wait until their timeout, or for ever.

Loses: service_ready
"""

import asyncio


class Service:
    def __init__(self):
        self.finished = asyncio.Event()
        self.error = None

    async def start(self, init):
        try:
            result = await init()
        except Exception as exc:
            self.error = exc
            raise
        self.finished.set()
        return result

    async def ready(self, timeout=None):
        if self.error is not None:
            raise self.error
        try:
            await asyncio.wait_for(self.finished.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
        if self.error is not None:
            raise self.error
