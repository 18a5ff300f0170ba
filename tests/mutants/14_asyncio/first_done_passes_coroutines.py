"""first_done passes bare coroutines to asyncio.wait, as the old tutorials do (a TypeError since 3.11).

Loses: first_done
"""

import asyncio


async def first_done(fetch, items, timeout):
    done, pending = await asyncio.wait([fetch(x) for x in items], timeout=timeout,
                                       return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if not done:
        raise TimeoutError(f"no fetch finished within {timeout} s")
    return done.pop().result()
