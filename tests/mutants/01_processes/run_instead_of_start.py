"""Calls run() instead of start(), so the target runs in the parent process.

Loses: worker_identity
"""

import multiprocessing


def worker_identity(ctx=None) -> tuple[int, int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    proc = ctx.Process(target=send_identity, args=(queue,))
    proc.run()  # runs send_identity right here, in this process
    return queue.get(timeout=TIMEOUT)
