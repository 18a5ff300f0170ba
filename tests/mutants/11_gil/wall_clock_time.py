"""cpu_utilisation measures wall time with time.time() and CPU time with time.perf_counter().

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs) -> float:
    cpu_start = time.perf_counter()
    wall_start = time.time()
    fn(*args, **kwargs)
    wall = time.time() - wall_start
    cpu = time.perf_counter() - cpu_start
    return cpu / wall if wall > 0 else 0.0
