"""Believes a thread that waits keeps the GIL, so threads' waits do not overlap.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("serial", "asyncio_blocking", "threads"):
        return n_tasks * (cpu + wait)
    if model == "asyncio":
        return n_tasks * cpu + wait
    if model in ("processes", "free_threads"):
        return cpu * max(1.0, n_tasks / cores) + wait
    raise ValueError(model)
