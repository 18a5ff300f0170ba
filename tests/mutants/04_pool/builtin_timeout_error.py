"""map_with_deadline catches the built-in TimeoutError, which multiprocessing.TimeoutError is not, so the pool is never terminated.

Loses: map_with_deadline
"""

import multiprocessing


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        values = pool.map_async(func, items).get(timeout)
    except TimeoutError:  # the built-in one
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return values
