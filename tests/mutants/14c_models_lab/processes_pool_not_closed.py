"""run_processes uses multiprocessing.Pool(workers).map without close()/join(): the worker processes outlive the call.

Loses: cpu_runner
"""

import multiprocessing

_pools = []


def run_processes(fn, items, workers):
    pool = multiprocessing.Pool(workers)
    _pools.append(pool)
    return pool.map(fn, items)
