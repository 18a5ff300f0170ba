"""choose_executor returns ProcessPoolExecutor for CPU work even when the GIL is disabled.

Loses: choose_executor
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def choose_executor(kind: str) -> type:
    if kind == "io":
        return ThreadPoolExecutor
    if kind == "cpu":
        return ProcessPoolExecutor  # "because of the GIL, threads never help CPU-bound code"
    raise ValueError(f"kind must be 'io' or 'cpu', not {kind!r}")
