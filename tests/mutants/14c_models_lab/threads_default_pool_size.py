"""run_threads creates ThreadPoolExecutor() without max_workers: the pool size is Python's default, not `workers`.

Loses: io_runners
"""


def run_threads(fn, items, workers):
    with concurrent.futures.ThreadPoolExecutor() as pool:
        return list(pool.map(fn, items))
