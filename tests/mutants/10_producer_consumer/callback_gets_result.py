"""process_map calls on_done with each result instead of passing it to add_done_callback (which gives the Future).

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx) as executor:
        futures = [executor.submit(func, x) for x in items]
        results = []
        for future in futures:
            result = future.result()
            on_done(result)
            results.append(result)
    return results
