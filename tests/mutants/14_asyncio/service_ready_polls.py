"""Service.ready polls a flag every 10 ms instead of waiting on an asyncio.Event: a waiting task
wakes up a hundred times a second, and is woken only at its next poll, not when start finishes.

Loses: service_ready
"""

import asyncio


class Service:
    def __init__(self):
        self.started = False
        self.error = None

    async def start(self, init):
        try:
            return await init()
        except Exception as exc:
            self.error = exc
            raise
        finally:
            self.started = True

    async def ready(self, timeout=None):
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self.started:
            if deadline is not None and loop.time() >= deadline:
                raise TimeoutError(f"not ready within {timeout} s")
            await asyncio.sleep(0.01)
        if self.error is not None:
            raise self.error
