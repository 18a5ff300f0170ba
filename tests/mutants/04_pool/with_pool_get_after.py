"""parallel_apply submits inside `with ctx.Pool() as pool:` and calls get() after the block, which terminated the pool.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ctx.Pool(processes) as pool:
        pending = [pool.apply_async(func, (x,)) for x in items]
    return [result.get() for result in pending]
