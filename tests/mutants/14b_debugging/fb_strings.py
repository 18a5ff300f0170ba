"""find_blocking_call returns the line number and the seconds as the strings it matched.

Loses: find_blocking_call
"""

_solution_find_blocking_call = find_blocking_call


def find_blocking_call(log):
    return [(name, f, str(n), f"{s:.3f}") for name, f, n, s in _solution_find_blocking_call(log)]
