"""checked_results waits for the "all settled" event even when there are no items, so [] never returns.

Loses: checked_results
"""


def checked_results(func, items, processes=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    results = [None] * len(items)
    failures = []
    left = [len(items)]
    settled = threading.Event()

    def store(index, value):
        results[index] = value
        left[0] -= 1
        if left[0] == 0:
            settled.set()

    def fail(exc):
        failures.append(exc)
        settled.set()

    pool = ctx.Pool(processes)
    try:
        for index, x in enumerate(items):
            pool.apply_async(func, (x,), callback=functools.partial(store, index), error_callback=fail)
        settled.wait()
    finally:
        if failures:
            pool.terminate()
        else:
            pool.close()
        pool.join()
    if failures:
        raise failures[0]
    return results
