"""process_map creates ProcessPoolExecutor(mp_context=ctx) without max_workers, so the pool size follows the CPU count, not the caller.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    ctx = ctx or multiprocessing.get_context()
    with ProcessPoolExecutor(mp_context=ctx) as executor:
        futures = []
        for x in items:
            future = executor.submit(func, x)
            future.add_done_callback(on_done)
            futures.append(future)
    return [future.result() for future in futures]
