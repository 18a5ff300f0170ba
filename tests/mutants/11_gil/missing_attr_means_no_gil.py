"""choose_executor reads getattr(sys, "_is_gil_enabled", lambda: False)(): before 3.13 (no attribute, always a GIL) it picks threads for CPU work.

Loses: choose_executor
"""

import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def choose_executor(kind):
    if kind == "io":
        return ThreadPoolExecutor
    if kind == "cpu":
        gil = getattr(sys, "_is_gil_enabled", lambda: False)()
        return ProcessPoolExecutor if gil else ThreadPoolExecutor
    raise ValueError(kind)
