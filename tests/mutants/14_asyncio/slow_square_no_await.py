"""slow_square calls asyncio.sleep(delay) without await, so it never waits at all.

Loses: slow_square
"""

import asyncio


async def slow_square(x, delay=0.02):
    asyncio.sleep(delay)
    return x * x
