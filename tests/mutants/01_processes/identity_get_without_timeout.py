"""worker_identity waits on the queue with no timeout: a child that dies without reporting hangs it forever.

Loses: worker_identity
"""

import multiprocessing


def worker_identity(ctx=None) -> tuple[int, int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    proc = ctx.Process(target=send_identity, args=(queue,))
    proc.start()
    identity = queue.get()
    proc.join()
    return identity
