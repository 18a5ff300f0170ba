"""Service.start runs init() as a task and ready() waits on that task with asyncio.wait_for:
the first waiter to time out cancels the task, so the start fails for everyone.

Loses: service_ready
"""

import asyncio


class Service:
    def __init__(self):
        self.task = None
        self.created = asyncio.Event()

    async def start(self, init):
        self.task = asyncio.create_task(init())
        self.created.set()
        return await self.task

    async def ready(self, timeout=None):
        try:
            await asyncio.wait_for(self.created.wait(), timeout)
            await asyncio.wait_for(self.task, timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"not ready within {timeout} s") from None
