"""Returns after queue.join() but never stops the consumers: they wait in queue.get() for ever.

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

    for _ in range(consumers):
        asyncio.create_task(consume())
    count = 0
    for count, item in enumerate(items, 1):
        await queue.put((count - 1, item))
    await queue.join()
    return [results[i] for i in range(count)]
