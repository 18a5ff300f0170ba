"""The workers call cancel_join_thread() so that joining first no longer hangs: their unsent data is lost.

Loses: collect_results
"""

import multiprocessing


def make_result(i, size, out_q):
    out_q.cancel_join_thread()  # exit without waiting for the feeder thread to flush
    out_q.put((i, payload(i, size)))


def collect_results(n, size, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    workers = [ctx.Process(target=make_result, args=(i, size, queue)) for i in range(n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results = [queue.get(timeout=TIMEOUT) for _ in workers]
    return [data for _, data in sorted(results)]
