"""parallel_apply calls join() before close(), which raises ValueError('Pool is still running').

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        pending = [pool.apply_async(func, (x,)) for x in items]
    finally:
        pool.join()   # wait for the workers
        pool.close()
    return [result.get() for result in pending]
