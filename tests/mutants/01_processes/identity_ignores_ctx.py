"""worker_identity ignores ctx and always uses the default start method (multiprocessing.Queue/Process).

Loses: worker_identity
"""

import multiprocessing


def worker_identity(ctx=None) -> tuple[int, int]:
    queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=send_identity, args=(queue,))
    proc.start()
    identity = queue.get(timeout=TIMEOUT)
    proc.join()
    return identity
