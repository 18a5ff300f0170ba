"""with_timeout turns timeout=None into 0 (`timeout or 0`): with no limit, the call times out at
once instead of being waited for.

Loses: with_timeout
"""

import asyncio


async def with_timeout(coro, timeout):
    try:
        return await asyncio.wait_for(coro, timeout or 0)
    except asyncio.TimeoutError:
        raise TimeoutError(f"not finished within {timeout} s") from None
