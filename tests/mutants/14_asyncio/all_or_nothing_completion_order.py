"""all_or_nothing collects results with asyncio.as_completed: in completion order, not the order
of items (equal delays hide it). Failures and the deadline are handled correctly.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    try:
        return [await next_done for next_done in asyncio.as_completed(tasks, timeout=timeout)]
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
