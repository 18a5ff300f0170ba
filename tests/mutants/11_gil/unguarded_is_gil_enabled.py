"""choose_executor calls sys._is_gil_enabled() directly, which does not exist before Python 3.13.

Loses: choose_executor
"""

import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def choose_executor(kind: str) -> type:
    if kind == "io":
        return ThreadPoolExecutor
    if kind == "cpu":
        return ProcessPoolExecutor if sys._is_gil_enabled() else ThreadPoolExecutor
    raise ValueError(f"kind must be 'io' or 'cpu', not {kind!r}")
