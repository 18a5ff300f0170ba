"""fan_in takes q.qsize() items off the queue, trusting a snapshot of a queue still being filled.

Loses: fan_in
"""

import multiprocessing


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    received = [queue.get(timeout=TIMEOUT) for _ in range(queue.qsize())]
    for proc in procs:
        proc.join()
    return sorted(item for item in received if item is not None)
