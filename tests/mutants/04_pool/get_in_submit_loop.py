"""parallel_apply calls get() right after each apply_async, so the tasks run one at a time.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        values = [pool.apply_async(func, (x,)).get() for x in items]
    finally:
        pool.close()  # no more tasks: workers exit once the queue is empty
        pool.join()   # wait for them; every AsyncResult is ready after this
    return values
