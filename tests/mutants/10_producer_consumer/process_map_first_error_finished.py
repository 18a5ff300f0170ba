"""process_map raises the error of the first task to FAIL (as_completed), not the first one in input order.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx) as executor:
        index = {}
        for i, x in enumerate(items):
            future = executor.submit(func, x)
            future.add_done_callback(on_done)
            index[future] = i
        results = {}
        for future in as_completed(index):
            results[index[future]] = future.result()
    return [results[i] for i in range(len(results))]
