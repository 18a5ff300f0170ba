"""cpu_workers treats a None count as missing and falls through to the next function (os.cpu_count()) instead of counting 1.

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks):
    cpus = None
    if hasattr(os, "process_cpu_count"):
        cpus = os.process_cpu_count()
    if cpus is None and hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    if cpus is None:
        cpus = os.cpu_count()
    return max(1, min(cpus or 1, n_tasks))
