"""Appends each result as its work finishes: the results come back in completion order.

Loses: queue_pipeline
"""

import asyncio


async def queue_pipeline(items, work, consumers, maxsize=1):
    if consumers < 1:
        raise ValueError(f"consumers must be at least 1, got {consumers}")
    queue = asyncio.Queue(maxsize)
    results = []

    async def consume():
        while True:
            item = await queue.get()
            try:
                results.append(await work(item))
            except Exception as exc:
                results.append(exc)
            finally:
                queue.task_done()

    tasks = [asyncio.create_task(consume()) for _ in range(consumers)]
    try:
        for item in items:
            await queue.put(item)
        await queue.join()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return results
