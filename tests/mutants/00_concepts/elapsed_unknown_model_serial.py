"""Treats an unknown model as serial instead of raising ValueError.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("threads", "asyncio"):
        return n_tasks * cpu + wait
    if model in ("processes", "free_threads"):
        return cpu * max(1.0, n_tasks / cores) + wait
    return n_tasks * (cpu + wait)
