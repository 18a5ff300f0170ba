"""slow_square starts the sleep as a background task and returns without waiting for it (so it
does not wait at all, and leaves a task behind).

Loses: slow_square
"""

import asyncio


async def slow_square(x, delay=0.02):
    asyncio.create_task(asyncio.sleep(delay))
    await asyncio.sleep(0)
    return x * x
