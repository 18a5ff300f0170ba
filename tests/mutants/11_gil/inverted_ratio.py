"""cpu_utilisation returns wall time divided by CPU time.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs) -> float:
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    fn(*args, **kwargs)
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return wall / cpu if cpu > 0 else 0.0
