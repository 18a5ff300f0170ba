"""parallel_apply re-raises the error that ARRIVED first (error_callback), not the first in input order.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    errors = []
    pool = ctx.Pool(processes)
    results = [pool.apply_async(func, (x,), error_callback=errors.append) for x in items]
    pool.close()
    pool.join()
    if errors:
        raise errors[0]
    return [r.get() for r in results]
