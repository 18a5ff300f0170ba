"""Never calls queue.task_done(): queue.join() waits for ever.

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

    tasks = [asyncio.create_task(consume()) for _ in range(consumers)]
    try:
        count = 0
        for count, item in enumerate(items, 1):
            await queue.put((count - 1, item))
        await queue.join()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return [results[i] for i in range(count)]
