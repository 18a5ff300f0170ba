"""run_threads collects results with as_completed: in the order they finish, not the order of items.

Loses: io_runners
"""


def run_threads(fn, items, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fn, x) for x in items]
        return [f.result() for f in concurrent.futures.as_completed(futures)]
