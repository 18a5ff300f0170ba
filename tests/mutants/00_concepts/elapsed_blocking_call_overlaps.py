"""Believes a coroutine that calls time.sleep still lets the other coroutines run.

Loses: elapsed
"""


def elapsed(model, n_tasks, cpu, wait, cores):
    if model == "serial":
        return n_tasks * (cpu + wait)
    if model in ("threads", "asyncio", "asyncio_blocking"):
        return n_tasks * cpu + wait
    if model in ("processes", "free_threads"):
        return cpu * max(1.0, n_tasks / cores) + wait
    raise ValueError(model)
