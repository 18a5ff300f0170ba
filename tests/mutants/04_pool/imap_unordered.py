"""imap_in_order uses imap_unordered(), which yields results in completion order, not input order.

Loses: imap_in_order
"""

import multiprocessing


def imap_in_order(func, items, on_result, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    results = []
    pool = ctx.Pool(processes)
    try:
        for i, result in enumerate(pool.imap_unordered(func, items)):
            on_result(i, result)
            results.append(result)
    finally:
        pool.close()
        pool.join()
    return results
