"""apply_with_callbacks ignores `processes`: one worker per item.

Loses: apply_with_callbacks
"""

import functools
import multiprocessing


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    ctx = ctx or multiprocessing.get_context()
    items = list(items)
    results, errors = {}, {}
    pool = ctx.Pool(max(1, len(items)))
    for x in items:
        pool.apply_async(func, (x,), callback=functools.partial(results.__setitem__, x),
                         error_callback=functools.partial(errors.__setitem__, x))
    pool.close()
    pool.join()
    return results, errors
