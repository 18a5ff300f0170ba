"""map_with_deadline re-raises the timeout without terminate(), so join() waits for the slow tasks.

Loses: map_with_deadline
"""

import multiprocessing


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        return pool.map_async(func, items).get(timeout)
    except multiprocessing.TimeoutError:
        raise  # let the caller know
    finally:
        pool.close()  # does nothing after terminate()
        pool.join()
