"""worker_identity starts the child but builds (pid, ppid) in the parent from p.pid and os.getpid().

Loses: worker_identity
"""

import multiprocessing
import os


def worker_identity(ctx=None) -> tuple[int, int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    proc = ctx.Process(target=send_identity, args=(queue,))
    proc.start()
    queue.get(timeout=TIMEOUT)
    proc.join()
    return (proc.pid, os.getpid())
