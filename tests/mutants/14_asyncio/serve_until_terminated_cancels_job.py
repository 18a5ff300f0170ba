"""The SIGTERM callback cancels the serving task: the job in progress is cancelled instead of being
allowed to finish (the CancelledError is caught and what was handled is returned).

Loses: serve_until_terminated
"""

import asyncio
import signal


async def serve_until_terminated(jobs, handle, cleanup, on_ready=None):
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    previous = signal.getsignal(signal.SIGTERM)
    loop.add_signal_handler(signal.SIGTERM, me.cancel)
    handled = []
    try:
        if on_ready is not None:
            on_ready()
        while True:
            job = await jobs.get()
            await handle(job)
            handled.append(job)
    except asyncio.CancelledError:
        pass
    finally:
        await cleanup()
        loop.remove_signal_handler(signal.SIGTERM)
        signal.signal(signal.SIGTERM, previous)
    return handled
