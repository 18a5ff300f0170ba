"""Believes threads run Python bytecode in parallel: CPU-bound pure-Python work gets threads.

Loses: choose_model
"""


def choose_model(workload, gil_enabled=True):
    if workload.cpu_seconds > workload.wait_seconds:
        return "cpu", "threads"
    return "io", "asyncio" if workload.async_io else "threads"
