"""apply_with_callbacks appends values as they arrive and zips them with the items: arrival order != input order.

Loses: apply_with_callbacks
"""

import multiprocessing


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    ctx = ctx or multiprocessing.get_context()
    values, errors = [], {}
    pool = ctx.Pool(processes)
    ok_items = []
    for x in items:
        pool.apply_async(func, (x,), callback=values.append,
                         error_callback=lambda exc, x=x: errors.__setitem__(x, exc))
    pool.close()
    pool.join()
    ok_items = [x for x in items if x not in errors]
    return dict(zip(ok_items, values)), errors
