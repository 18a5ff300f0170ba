"""A signal.signal() handler that stops the loop: loop.stop() ends run_until_complete with
"Event loop stopped before Future completed", the job in progress never finishes, and neither the
clean-up nor the return happens.

Loses: serve_until_terminated
"""

import asyncio
import signal


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    loop = asyncio.get_running_loop()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: loop.stop())
    handled = []
    try:
        if on_ready is not None:
            on_ready()
        while True:
            job = await jobs.get()
            await handle(job)
            handled.append(job)
    finally:
        await cleanup()
        signal.signal(signal.SIGTERM, previous)
    return handled
