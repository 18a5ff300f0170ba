"""Gives every process its own core, however few cores the machine has.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model in ("serial", "asyncio_blocking"):
        return n_tasks * (cpu + wait)
    if model in ("threads", "asyncio"):
        return n_tasks * cpu + wait
    if model in ("processes", "free_threads"):
        return cpu + wait
    raise ValueError(model)
