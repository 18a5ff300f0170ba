"""apply_with_callbacks passes only callback=, no error_callback=, so failed items are silently lost.

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
            )
    finally:
        pool.close()
        pool.join()  # after join() the result-handler thread has delivered every callback
    return results, errors
