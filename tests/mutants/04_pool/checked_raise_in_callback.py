"""checked_results' error_callback raises the exception: it goes off in the pool's result-handler thread.

Loses: checked_results
"""


def _raise(exc):
    raise exc


def checked_results(func, items, processes=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    results = [None] * len(items)
    pool = ctx.Pool(processes)
    for index, x in enumerate(items):
        pool.apply_async(func, (x,), callback=functools.partial(results.__setitem__, index), error_callback=_raise)
    pool.close()
    pool.join()
    return results
