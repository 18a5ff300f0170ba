"""slow_square waits with time.sleep, which blocks the whole event loop for the delay.

Loses: slow_square
"""

import time


async def slow_square(x, delay=0.02):
    time.sleep(delay)
    return x * x
