"""cpu_workers prefers os.sched_getaffinity over os.process_cpu_count (which also honours -X cpu_count).

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks: int) -> int:
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0))
    elif hasattr(os, "process_cpu_count"):
        cpus = os.process_cpu_count()
    else:
        cpus = os.cpu_count()
    return max(1, min(cpus or 1, n_tasks))
