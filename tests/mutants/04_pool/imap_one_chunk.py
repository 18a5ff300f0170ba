"""imap_in_order passes chunksize=len(items): all results come back together, none early.

Loses: imap_in_order
"""

import multiprocessing


def imap_in_order(func, items, on_result, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    items = list(items)
    pool = ctx.Pool(processes)
    results = []
    for i, r in enumerate(pool.imap(func, items, chunksize=max(1, len(items)))):
        on_result(i, r)
        results.append(r)
    pool.close()
    pool.join()
    return results
