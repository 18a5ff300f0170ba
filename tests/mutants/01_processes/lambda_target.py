"""Passes a lambda as the Process target; spawn and forkserver cannot pickle it.

Loses: worker_identity
"""

import multiprocessing
import os


def worker_identity(ctx=None) -> tuple[int, int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    proc = ctx.Process(target=lambda q: q.put((os.getpid(), os.getppid())), args=(queue,))
    proc.start()
    identity = queue.get(timeout=TIMEOUT)
    proc.join()
    return identity
