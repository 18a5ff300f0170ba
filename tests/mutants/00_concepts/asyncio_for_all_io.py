"""Sends every I/O-bound workload to asyncio, also one whose library only has blocking calls.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    if workload.cpu_seconds > workload.wait_seconds:
        parallel_threads = workload.releases_gil or not gil_enabled
        return "cpu", "threads" if parallel_threads else "processes"
    return "io", "asyncio"
