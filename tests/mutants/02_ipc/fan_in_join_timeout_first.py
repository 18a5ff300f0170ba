"""fan_in "fixes" join-before-drain with join(timeout=1) on each worker, then drains: slow and fragile.

Loses: fan_in
"""

import multiprocessing


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=1)
    items, finished = [], 0
    while finished < n_workers:
        item = queue.get(timeout=TIMEOUT)
        if item is None:
            finished += 1
        else:
            items.append(item)
    for proc in procs:
        proc.join()
    return sorted(items)
