"""cpu_workers returns min(cpus, n_tasks) or 1, which is only at least 1 for zero: a negative n_tasks comes back negative.

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
    return min(cpus or 1, n_tasks) or 1
