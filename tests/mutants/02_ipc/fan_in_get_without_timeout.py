"""fan_in drains with get() and no timeout: a worker whose produce() raises never sends None, so it hangs.

Loses: fan_in
"""

import multiprocessing


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    items, finished = [], 0
    while finished < n_workers:
        item = queue.get()
        if item is None:
            finished += 1
        else:
            items.append(item)
    for proc in procs:
        proc.join()
    return sorted(items)
