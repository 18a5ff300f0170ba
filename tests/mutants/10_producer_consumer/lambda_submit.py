"""process_map submits a lambda, which the worker processes cannot unpickle.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx) as executor:
        futures = []
        for x in items:
            future = executor.submit(lambda x=x: func(x))
            future.add_done_callback(on_done)
            futures.append(future)
    return [future.result() for future in futures]
