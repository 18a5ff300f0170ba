"""first_done takes the first result from asyncio.as_completed(coroutines, timeout=...): the
tasks it made for the other fetches are never cancelled and keep running.

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    for next_done in asyncio.as_completed([fetch(x) for x in items], timeout=timeout):
        return await next_done
    raise TimeoutError("no items")
