"""Service.start sets the event in a finally block but keeps no record of the failure: after a
failed start, ready() returns as if the service were ready.

Loses: service_ready
"""

import asyncio


class Service:
    def __init__(self):
        self.finished = asyncio.Event()

    async def start(self, init):
        try:
            return await init()
        finally:
            self.finished.set()

    async def ready(self, timeout=None):
        try:
            await asyncio.wait_for(self.finished.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
