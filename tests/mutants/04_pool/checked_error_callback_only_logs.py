"""checked_results adds an error_callback that only records the failure, and still returns the list.

Loses: checked_results
"""


def checked_results(func, items, processes=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    results = [None] * len(items)
    failures = []
    pool = ctx.Pool(processes)
    for index, x in enumerate(items):
        pool.apply_async(func, (x,), callback=functools.partial(results.__setitem__, index),
                         error_callback=failures.append)
    pool.close()
    pool.join()
    if failures:
        print(f"{len(failures)} task(s) failed: {failures}")
    return results
