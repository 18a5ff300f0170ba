"""process_map creates ProcessPoolExecutor(max_workers) without mp_context=ctx, so the start method is ignored.

Loses: process_map
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    with ProcessPoolExecutor(max_workers=max_workers) as executor:
        futures = []
        for x in items:
            future = executor.submit(func, x)
            future.add_done_callback(on_done)
            futures.append(future)
    return [future.result() for future in futures]
