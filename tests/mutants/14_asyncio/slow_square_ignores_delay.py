"""slow_square awaits asyncio.sleep(0.02), the default, whatever delay it is given.

Loses: slow_square
"""

import asyncio


async def slow_square(x, delay=0.02):
    await asyncio.sleep(0.02)
    return x * x
