"""cpu_workers calls os.sched_getaffinity without checking it exists (it does not on macOS or Windows).

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks: int) -> int:
    if hasattr(os, "process_cpu_count"):
        cpus = os.process_cpu_count()
    else:
        cpus = len(os.sched_getaffinity(0))
    return max(1, min(cpus or 1, n_tasks))
