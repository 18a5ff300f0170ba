"""collect_results() drains while not queue.empty(): workers that have not sent yet are missed.

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
    while not queue.empty():
        results.append(queue.get(timeout=TIMEOUT))
    for worker in workers:
        worker.join(TIMEOUT)
    return [data for _, data in sorted(results)]
