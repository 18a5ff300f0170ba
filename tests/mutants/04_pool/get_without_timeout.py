"""map_with_deadline calls get() without the timeout, so it waits for the slow tasks however long they take.

Loses: map_with_deadline
"""

import multiprocessing


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        return pool.map_async(func, items).get()
    except multiprocessing.TimeoutError:
        pool.terminate()  # the slow tasks are still running: stop the workers now
        raise
    finally:
        pool.close()  # does nothing after terminate()
        pool.join()
