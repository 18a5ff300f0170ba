"""all_or_nothing uses gather with a timeout but never cancels the other fetches when one fails.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    return await asyncio.wait_for(asyncio.gather(*(fetch(x) for x in items)), timeout)
