"""find_blocking_call only reads the Task lines: slow callbacks (Handle, TimerHandle) are missed.

Loses: find_blocking_call
"""

_solution_find_blocking_call = find_blocking_call


def find_blocking_call(log):
    tasks = "\n".join(line for line in log.splitlines() if "Executing <Task " in line)
    return _solution_find_blocking_call(tasks)
