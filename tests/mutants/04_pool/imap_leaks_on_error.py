"""imap_in_order closes and joins only after a full loop: a task that raises leaves the pool running.

Loses: imap_in_order
"""

import multiprocessing


def imap_in_order(func, items, on_result, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    results = []
    for i, r in enumerate(pool.imap(func, items)):
        on_result(i, r)
        results.append(r)
    pool.close()
    pool.join()
    return results
