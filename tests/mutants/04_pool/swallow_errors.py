"""parallel_apply catches the exception from get() and puts None in the results instead of re-raising.

Loses: parallel_apply
"""

import multiprocessing


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        pending = [pool.apply_async(func, (x,)) for x in items]
    finally:
        pool.close()  # no more tasks: workers exit once the queue is empty
        pool.join()   # wait for them; every AsyncResult is ready after this
    values = []
    for result in pending:
        try:
            values.append(result.get())
        except Exception:
            values.append(None)  # a failed task simply has no result
    return values
