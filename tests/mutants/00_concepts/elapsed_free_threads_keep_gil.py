"""Forgets that a free-threaded build runs threads in parallel.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("serial", "asyncio_blocking"):
        return n_tasks * (cpu + wait)
    if model in ("threads", "asyncio", "free_threads"):
        return n_tasks * cpu + wait
    if model == "processes":
        return cpu * max(1.0, n_tasks / cores) + wait
    raise ValueError(model)
