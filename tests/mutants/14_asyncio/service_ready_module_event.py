"""The ready Event is made once, at import time, and shared by every Service: starting one
service makes every other one ready too (and a second event loop finds it bound to the first).

Loses: service_ready
"""

import asyncio

_started = asyncio.Event()


class Service:
    def __init__(self):
        self.error = None

    async def start(self, init):
        try:
            return await init()
        except Exception as exc:
            self.error = exc
            raise
        finally:
            _started.set()

    async def ready(self, timeout=None):
        try:
            await asyncio.wait_for(_started.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
        if self.error is not None:
            raise self.error
