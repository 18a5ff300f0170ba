"""Calls queue.put(...) without await: the coroutine never runs and no item reaches the queue.

Loses: queue_pipeline
"""

import asyncio


async def queue_pipeline(items, work, consumers, maxsize=1):
    if consumers < 1:
        raise ValueError(f"consumers must be at least 1, got {consumers}")
    queue = asyncio.Queue(maxsize)
    results = {}

    async def consume():
        while True:
            index, item = await queue.get()
            try:
                results[index] = await work(item)
            except Exception as exc:
                results[index] = exc
            finally:
                queue.task_done()

    tasks = [asyncio.create_task(consume()) for _ in range(consumers)]
    try:
        count = 0
        for count, item in enumerate(items, 1):
            queue.put((count - 1, item))
        await queue.join()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return [results.get(i) for i in range(count)]
