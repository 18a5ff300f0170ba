"""cpu_utilisation calls fn(*args) and drops the keyword arguments.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs):
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    fn(*args)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return cpu / wall if wall > 0 else 0.0
