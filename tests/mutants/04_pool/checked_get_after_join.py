"""checked_results keeps the AsyncResults, closes and joins, then get()s each: a failure waits for every task.

Loses: checked_results
"""


def checked_results(func, items, processes=2, ctx=None):
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    try:
        pending = [pool.apply_async(func, (x,)) for x in items]
    finally:
        pool.close()
        pool.join()
    return [result.get() for result in pending]
