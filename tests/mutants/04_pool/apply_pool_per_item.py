"""parallel_apply sizes the pool by the number of items instead of `processes`: too many tasks in flight.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    items = list(items)
    pool = ctx.Pool(max(1, len(items)))
    results = [pool.apply_async(func, (x,)) for x in items]
    pool.close()
    pool.join()
    return [r.get() for r in results]
