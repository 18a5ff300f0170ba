"""Believes gather runs the coroutines one after another, each to its end.

Loses: async_output
"""


def async_output(scripts):
    return [str(arg) for script in scripts for op, arg in script if op in ("print", "call")]
