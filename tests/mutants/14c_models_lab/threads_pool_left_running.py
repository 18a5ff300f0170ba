"""run_threads never shuts its ThreadPoolExecutor down: the worker threads outlive the call.

Loses: io_runners
"""

_pools = []


def run_threads(fn, items, workers):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    _pools.append(pool)
    return list(pool.map(fn, items))
