"""process_map shuts the pool down only after every result was read, so when a task fails it raises at once: the pool is left running and later callbacks have not happened yet.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    executor = ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx)
    futures = []
    for x in items:
        future = executor.submit(func, x)
        future.add_done_callback(on_done)
        futures.append(future)
    results = [future.result() for future in futures]
    executor.shutdown()
    return results
