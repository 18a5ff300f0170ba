"""run_threads waits for each future right after submitting it: the calls run one at a time.

Loses: io_runners
"""


def run_threads(fn, items, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return [pool.submit(fn, x).result() for x in items]
