"""apply_with_callbacks closes the pool but never joins it, so it returns before the callbacks have run.

Loses: apply_with_callbacks
"""

import functools
import multiprocessing


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    ctx = ctx or multiprocessing.get_context()
    results: dict = {}
    errors: dict = {}
    pool = ctx.Pool(processes)
    try:
        for x in items:
            pool.apply_async(
                func,
                (x,),
                callback=functools.partial(results.__setitem__, x),
                error_callback=functools.partial(errors.__setitem__, x),
            )
    finally:
        pool.close()  # (no join: the dicts are returned while tasks still run)
    return results, errors
