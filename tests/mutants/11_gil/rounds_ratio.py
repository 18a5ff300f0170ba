"""cpu_utilisation rounds the ratio to two decimals.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs):
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    fn(*args, **kwargs)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return round(cpu / wall, 2) if wall > 0 else 0.0
