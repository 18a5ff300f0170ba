"""No SIGTERM handler at all: the service serves until the queue is empty, and SIGTERM kills the
process (exit code -15) in the middle of a job, without clean-up.

Loses: serve_until_terminated
"""

import asyncio


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    if on_ready is not None:
        on_ready()
    handled = []
    try:
        while True:
            job = await jobs.get()
            await handle(job)
            handled.append(job)
    finally:
        await cleanup()
    return handled
