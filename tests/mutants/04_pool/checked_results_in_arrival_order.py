"""checked_results appends each result as it arrives: completion order, not input order.

Loses: checked_results
"""

_real_checked_results = checked_results


def checked_results(func, items, processes=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    arrived = []
    failures = []
    settled = threading.Event()

    def store(value):
        arrived.append(value)
        if len(arrived) == len(items):
            settled.set()

    def fail(exc):
        failures.append(exc)
        settled.set()

    pool = ctx.Pool(processes)
    try:
        for x in items:
            pool.apply_async(func, (x,), callback=store, error_callback=fail)
        if items:
            settled.wait()
    finally:
        if failures:
            pool.terminate()
        else:
            pool.close()
        pool.join()
    if failures:
        raise failures[0]
    return arrived
