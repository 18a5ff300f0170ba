"""After SIGTERM the service first works through every job still queued: jobs keep starting after
the signal, so the stop is not quick and the queue is not left for the next instance.

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
        while not stopping.is_set() or not jobs.empty():
            if stopping.is_set():
                job = jobs.get_nowait()
            else:
                get = asyncio.ensure_future(jobs.get())
                await asyncio.wait({get, stop}, return_when=asyncio.FIRST_COMPLETED)
                if not get.done():
                    get.cancel()
                    break
                job = get.result()
            await handle(job)
            handled.append(job)
        stop.cancel()
    finally:
        await cleanup()
        loop.remove_signal_handler(signal.SIGTERM)
        signal.signal(signal.SIGTERM, previous)
    return handled
