"""choose_executor calls kind.lower() first, so a kind that is not a string raises AttributeError instead of ValueError.

Loses: choose_executor
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def choose_executor(kind):
    kind = kind.lower().strip()
    if kind == "io":
        return ThreadPoolExecutor
    if kind == "cpu":
        return ProcessPoolExecutor if gil_enabled() else ThreadPoolExecutor
    raise ValueError(kind)
