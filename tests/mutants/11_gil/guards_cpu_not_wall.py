"""cpu_utilisation returns 0.0 when no CPU time passed, but divides by a zero wall time when only CPU time moved.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs):
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    fn(*args, **kwargs)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    if cpu == 0:
        return 0.0
    return cpu / wall
