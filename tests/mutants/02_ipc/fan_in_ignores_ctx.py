"""fan_in ignores ctx: multiprocessing.Queue/Process always use the default start method.

Loses: fan_in
"""

import multiprocessing


def fan_in(produce, n_workers, ctx=None) -> list:
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
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
