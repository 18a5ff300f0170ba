"""collect_results() takes n - 1 results off the queue, then joins: the last worker cannot exit.

Loses: collect_results
"""

import multiprocessing


def collect_results(n, size, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=TIMEOUT) for _ in range(n - 1)]
    for worker in workers:
        worker.join()
    return [data for _, data in sorted(results)]
