"""parallel_apply ignores ctx: multiprocessing.Pool always uses the default start method.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    pool = multiprocessing.Pool(processes)
    results = [pool.apply_async(func, (x,)) for x in items]
    pool.close()
    pool.join()
    return [r.get() for r in results]
