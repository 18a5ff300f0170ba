"""all_or_nothing cancels the others when a fetch fails, but on the deadline raises TimeoutError
and leaves every unfinished task running.

Loses: all_or_nothing
"""

import asyncio


async def all_or_nothing(fetch, items, timeout):
    tasks = [asyncio.create_task(fetch(x)) for x in items]
    done, pending = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_EXCEPTION)
    failed = [task for task in done if task.exception() is not None]
    if failed:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        raise failed[0].exception()
    if pending:
        raise TimeoutError(f"not all fetches finished within {timeout} s")
    return [task.result() for task in tasks]
