"""Runs processes in rounds of `cores` (a pool), not sharing the cores fairly between all of them.

Loses: elapsed
"""

import math


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("serial", "asyncio_blocking"):
        return n_tasks * (cpu + wait)
    if model in ("threads", "asyncio"):
        return n_tasks * cpu + wait
    if model in ("processes", "free_threads"):
        return math.ceil(n_tasks / cores) * cpu + wait
    raise ValueError(model)
