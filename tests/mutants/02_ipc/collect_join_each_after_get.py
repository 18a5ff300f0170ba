"""collect_results() joins worker i right after the i-th get(), which may be another worker's result.

Loses: collect_results
"""

import multiprocessing


def collect_results(n, size, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    results = []
    for worker in workers:
        results.append(queue.get(timeout=TIMEOUT))
        worker.join()
    return [data for _, data in sorted(results)]
