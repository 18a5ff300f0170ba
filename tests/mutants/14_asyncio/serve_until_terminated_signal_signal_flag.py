"""Installs the handler with signal.signal(): it runs outside the event loop between two bytecodes,
and setting an asyncio.Event from there does not wake a loop that sleeps in select().

Loses: serve_until_terminated
"""

import asyncio
import signal


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    stopping = asyncio.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    handled = []
    try:
        if on_ready is not None:
            on_ready()
        stop = asyncio.ensure_future(stopping.wait())
        while not stopping.is_set():
            get = asyncio.ensure_future(jobs.get())
            await asyncio.wait({get, stop}, return_when=asyncio.FIRST_COMPLETED)
            if not get.done():
                get.cancel()
                break
            await handle(get.result())
            handled.append(get.result())
        stop.cancel()
    finally:
        await cleanup()
        signal.signal(signal.SIGTERM, previous)
    return handled
