"""fan_in's workers put on a module-level queue instead of one passed as an argument (fork-only).

Under spawn and forkserver each child imports the module again and gets a queue of its own.

Loses: fan_in
"""

import multiprocessing

RESULTS = multiprocessing.Queue()


def put_items(produce, i, out_q=None) -> None:
    for item in produce(i):
        RESULTS.put(item)
    RESULTS.put(None)


def fan_in(produce, n_workers, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    procs = [ctx.Process(target=put_items, args=(produce, i)) for i in range(n_workers)]
    for proc in procs:
        proc.start()
    items = []
    finished = 0
    while finished < n_workers:
        item = RESULTS.get(timeout=TIMEOUT)
        if item is None:
            finished += 1
        else:
            items.append(item)
    for proc in procs:
        proc.join()
    return sorted(items)
