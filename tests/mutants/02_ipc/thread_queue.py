"""fan_in uses queue.Queue() instead of ctx.Queue(): it cannot carry items between processes.

Loses: fan_in
"""

import multiprocessing
import queue as queue_module


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    queue = queue_module.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    items = []
    finished = 0
    while finished < n_workers:
        item = queue.get(timeout=TIMEOUT)
        if item is None:
            finished += 1
        else:
            items.append(item)
    for proc in procs:
        proc.join()
    return sorted(items)
