"""collect_results() uses multiprocessing.Process/Queue (the default start method), not the ctx it was given.

Loses: collect_results
"""

import multiprocessing


def collect_results(n, size, ctx=None):
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    try:
        results = [queue.get(timeout=TIMEOUT) for _ in workers]
    finally:
        for worker in workers:
            worker.join(TIMEOUT)
    return [data for _, data in sorted(results)]
