"""Always picks processes for pure-Python CPU work, even when the GIL is off.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    if workload.cpu_seconds > workload.wait_seconds:
        return "cpu", "threads" if workload.releases_gil else "processes"
    return "io", "asyncio" if workload.async_io else "threads"
