"""apply_with_callbacks binds the item with a plain lambda: it reads x when the callback RUNS (late binding).

Loses: apply_with_callbacks
"""

import multiprocessing


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    ctx = ctx or multiprocessing.get_context()
    results, errors = {}, {}
    pool = ctx.Pool(processes)
    for x in items:
        pool.apply_async(func, (x,), callback=lambda value: results.__setitem__(x, value),
                         error_callback=lambda exc: errors.__setitem__(x, exc))
    pool.close()
    pool.join()
    return results, errors
