"""Believes async code runs faster: CPU work with an async library goes to asyncio too.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    kind = "cpu" if workload.cpu_seconds > workload.wait_seconds else "io"
    if workload.async_io:
        return kind, "asyncio"
    if kind == "cpu":
        return kind, "threads" if (workload.releases_gil or not gil_enabled) else "processes"
    return kind, "threads"
