"""cpu_workers passes the count straight to min(), so a function that returns None (count unknown) raises TypeError.

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks):
    if hasattr(os, "process_cpu_count"):
        cpus = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count()
    return max(1, min(cpus, n_tasks))
