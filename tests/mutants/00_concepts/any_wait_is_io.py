"""Calls a task I/O-bound as soon as it waits at all, whatever it spends computing.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    if workload.wait_seconds == 0:
        parallel_threads = workload.releases_gil or not gil_enabled
        return "cpu", "threads" if parallel_threads else "processes"
    return "io", "asyncio" if workload.async_io else "threads"
