"""collect_results() gives each get() 0.1 s and skips a result that is not there yet: late results are lost.

Loses: collect_results
"""

import multiprocessing
import queue as queue_module


def collect_results(n, size, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    results = []
    for _ in workers:
        try:
            results.append(queue.get(timeout=0.1))
        except queue_module.Empty:
            continue
    for worker in workers:
        worker.join(TIMEOUT)
    return [data for _, data in sorted(results)]
