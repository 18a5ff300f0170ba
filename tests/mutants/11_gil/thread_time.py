"""cpu_utilisation measures time.thread_time(), so CPU used by other threads of the process is missed.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs) -> float:
    cpu_start = time.thread_time()
    wall_start = time.perf_counter()
    fn(*args, **kwargs)
    wall = time.perf_counter() - wall_start
    cpu = time.thread_time() - cpu_start
    return cpu / wall if wall > 0 else 0.0
