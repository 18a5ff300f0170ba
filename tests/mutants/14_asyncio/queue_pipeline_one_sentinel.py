"""Puts one sentinel on the queue for N consumers: the first consumer stops, the others wait forever.

Loses: queue_pipeline
"""

import asyncio

STOP = None


async def queue_pipeline(items, work, consumers, maxsize=1):
    if consumers < 1:
        raise ValueError(f"consumers must be at least 1, got {consumers}")
    queue = asyncio.Queue(maxsize)
    results = {}

    async def consume():
        while True:
            entry = await queue.get()
            if entry is STOP:
                queue.task_done()
                return
            index, item = entry
            try:
                results[index] = await work(item)
            except Exception as exc:
                results[index] = exc
            queue.task_done()

    tasks = [asyncio.create_task(consume()) for _ in range(consumers)]
    count = 0
    for count, item in enumerate(items, 1):
        await queue.put((count - 1, item))
    await queue.put(STOP)
    await asyncio.gather(*tasks)
    return [results[i] for i in range(count)]
