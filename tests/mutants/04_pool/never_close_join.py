"""parallel_apply collects the results but never closes or joins the pool.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    pending = [pool.apply_async(func, (x,)) for x in items]
    return [result.get() for result in pending]
