"""find_blocking_call names a task step by the task's name (name='Task-2') instead of its coroutine's.

Loses: find_blocking_call
"""

_solution_find_blocking_call = find_blocking_call


def find_blocking_call(log):
    steps = _solution_find_blocking_call(log)
    names = re.findall(r"Executing <(?:Task \w+ name='([^']*)'|(?:Timer)?Handle)", log)
    return [(task_name or name, f, n, s) for (name, f, n, s), task_name in zip(steps, names)]
