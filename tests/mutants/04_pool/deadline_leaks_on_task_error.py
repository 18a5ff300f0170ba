"""map_with_deadline cleans up only on timeout or success: when a task raises, the pool is left running.

Loses: map_with_deadline
"""

import multiprocessing


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    pending = pool.map_async(func, items)
    try:
        results = pending.get(timeout)
    except multiprocessing.TimeoutError:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return results
