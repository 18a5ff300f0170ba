"""Believes threads compute in parallel under the GIL, like processes.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("serial", "asyncio_blocking"):
        return n_tasks * (cpu + wait)
    if model == "asyncio":
        return n_tasks * cpu + wait
    if model in ("threads", "processes", "free_threads"):
        return cpu * max(1.0, n_tasks / cores) + wait
    raise ValueError(model)
