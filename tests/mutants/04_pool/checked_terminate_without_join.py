"""checked_results terminate()s the pool on a failure but never joins it.

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
    for index, x in enumerate(items):
        pool.apply_async(func, (x,), callback=functools.partial(store, index), error_callback=fail)
    if items:
        settled.wait()
    if failures:
        pool.terminate()
        raise failures[0]
    pool.close()
    pool.join()
    return results
