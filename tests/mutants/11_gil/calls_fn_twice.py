"""cpu_utilisation times the CPU and the wall clock in two separate calls of fn, so fn runs twice.

Loses: cpu_utilisation
"""

import time


def _delta(clock, fn, args, kwargs):
    start = clock()
    fn(*args, **kwargs)
    return clock() - start


def cpu_utilisation(fn, *args, **kwargs):
    cpu = _delta(time.process_time, fn, args, kwargs)
    wall = _delta(time.perf_counter, fn, args, kwargs)
    return cpu / wall if wall > 0 else 0.0
