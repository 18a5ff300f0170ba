"""slow_square follows the old tutorials: get_event_loop().run_until_complete() inside a coroutine,
where the loop is already running.

Loses: slow_square
"""

import asyncio


async def slow_square(x, delay=0.02):
    asyncio.get_event_loop().run_until_complete(asyncio.sleep(delay))
    return x * x
