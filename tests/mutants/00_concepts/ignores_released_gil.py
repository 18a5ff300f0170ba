"""Picks processes for C code that releases the GIL (hashlib, zlib): pickling for nothing.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    if workload.cpu_seconds > workload.wait_seconds:
        return "cpu", "processes" if gil_enabled else "threads"
    return "io", "asyncio" if workload.async_io else "threads"
