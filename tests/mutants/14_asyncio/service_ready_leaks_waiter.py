"""Service.ready waits on a task of event.wait() with asyncio.wait(timeout=...), and on timeout
raises without cancelling that task: every timed-out call leaves a task waiting for ever.

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
        waiter = asyncio.create_task(self.finished.wait())
        done, _ = await asyncio.wait({waiter}, timeout=timeout)
        if not done:
            raise TimeoutError(f"not ready within {timeout} s")
        if self.error is not None:
            raise self.error
