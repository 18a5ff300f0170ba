"""parallel_apply reads every result before close()/join(): when a task raised, the pool is never shut down.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    pending = [pool.apply_async(func, (x,)) for x in items]
    results = [r.get() for r in pending]
    pool.close()
    pool.join()
    return results
