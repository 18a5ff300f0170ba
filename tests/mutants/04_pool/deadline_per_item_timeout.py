"""map_with_deadline gives EACH result `timeout` seconds (imap + next(timeout)), not the whole map.

Loses: map_with_deadline
"""

import multiprocessing


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    pool = ctx.Pool(processes)
    iterator = pool.imap(func, items)
    results = []
    try:
        for _ in range(len(items)):
            results.append(iterator.next(timeout))
    except multiprocessing.TimeoutError:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()
    return results
