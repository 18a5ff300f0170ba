"""choose_executor asks sysconfig whether the build is free-threaded, not whether the GIL is off now.

Loses: choose_executor
"""

import sysconfig
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def choose_executor(kind: str) -> type:
    if kind == "io":
        return ThreadPoolExecutor
    if kind == "cpu":
        free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
        return ThreadPoolExecutor if free_threaded else ProcessPoolExecutor
    raise ValueError(f"kind must be 'io' or 'cpu', not {kind!r}")
