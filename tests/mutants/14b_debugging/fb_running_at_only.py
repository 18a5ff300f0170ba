"""find_blocking_call only knows "running at": a task whose slow step was its last one ("done, defined at") is missed.

Loses: find_blocking_call
"""

_solution_find_blocking_call = find_blocking_call


def find_blocking_call(log):
    kept = "\n".join(line for line in log.splitlines() if "done, defined at" not in line)
    return _solution_find_blocking_call(kept)
