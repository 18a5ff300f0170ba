"""Removes the SIGTERM handler only on the normal path: when handle raises, the handler stays in
the event loop (clean-up does run).

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
    loop.remove_signal_handler(signal.SIGTERM)
    signal.signal(signal.SIGTERM, previous)
    return handled
