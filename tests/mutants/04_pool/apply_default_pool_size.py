"""parallel_apply ignores `processes` and uses ctx.Pool() (os.cpu_count() workers).

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool()
    results = [pool.apply_async(func, (x,)) for x in items]
    pool.close()
    pool.join()
    return [r.get() for r in results]
