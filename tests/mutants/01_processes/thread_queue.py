"""Uses queue.Queue() instead of ctx.Queue(): it cannot cross a process boundary.

Loses: worker_identity
"""

import multiprocessing
import queue as queue_module


def worker_identity(ctx=None) -> tuple[int, int]:
    ctx = ctx or multiprocessing.get_context()
    queue = queue_module.Queue()
    proc = ctx.Process(target=send_identity, args=(queue,))
    proc.start()
    identity = queue.get(timeout=TIMEOUT)
    proc.join()
    return identity
