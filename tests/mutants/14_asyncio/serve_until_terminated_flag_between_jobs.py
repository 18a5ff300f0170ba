"""Checks the stop flag only between jobs: a service idle in `await jobs.get()` when SIGTERM comes
waits there for ever, and the stop is never finished.

Loses: serve_until_terminated
"""

import asyncio
import signal


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    previous = signal.getsignal(signal.SIGTERM)
    loop.add_signal_handler(signal.SIGTERM, stopping.set)
    handled = []
    try:
        if on_ready is not None:
            on_ready()
        while not stopping.is_set():
            job = await jobs.get()
            await handle(job)
            handled.append(job)
    finally:
        await cleanup()
        loop.remove_signal_handler(signal.SIGTERM)
        signal.signal(signal.SIGTERM, previous)
    return handled
