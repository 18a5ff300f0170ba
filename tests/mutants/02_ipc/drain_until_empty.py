"""fan_in stops draining as soon as q.empty() is True, before slow workers have put their items.

Loses: fan_in
"""

import multiprocessing


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_items, args=(produce, i, queue)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    items = []
    while not queue.empty():
        item = queue.get(timeout=TIMEOUT)
        if item is not None:
            items.append(item)
    for proc in procs:
        proc.join()
    return sorted(items)
