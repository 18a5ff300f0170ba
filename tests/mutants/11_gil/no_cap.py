"""cpu_workers returns every usable CPU, even when there are fewer tasks than CPUs.

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks: int) -> int:
    if hasattr(os, "process_cpu_count"):
        cpus = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count()
    return max(1, cpus or 1)
