"""process_map collects the results with as_completed, so they come back in completion order, not input order.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx) as executor:
        futures = []
        for x in items:
            future = executor.submit(func, x)
            future.add_done_callback(on_done)
            futures.append(future)
        return [future.result() for future in as_completed(futures)]
