"""cpu_workers uses os.cpu_count(), which counts the whole machine and ignores CPU affinity.

Loses: cpu_workers
"""

import os


def cpu_workers(n_tasks: int) -> int:
    return max(1, min(os.cpu_count() or 1, n_tasks))
