"""cpu_utilisation catches fn's exception and still returns a ratio, so the caller never learns that fn failed.

Loses: cpu_utilisation
"""

import time


def cpu_utilisation(fn, *args, **kwargs):
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    try:
        fn(*args, **kwargs)
    except Exception:  # noqa: BLE001
        pass
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    return cpu / wall if wall > 0 else 0.0
