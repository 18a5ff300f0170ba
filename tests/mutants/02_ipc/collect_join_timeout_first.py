"""collect_results() joins each worker with a timeout before draining: it waits out every timeout.

Loses: collect_results
"""

import multiprocessing


def collect_results(n, size, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)
    results = [queue.get(timeout=TIMEOUT) for _ in workers]
    return [data for _, data in sorted(results)]
