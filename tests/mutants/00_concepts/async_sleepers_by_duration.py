"""Wakes sleeping tasks in the order of their sleep's length, not of the moment it ends.

Loses: async_output
"""

from collections import deque


def async_output(scripts):
    lines, ready, sleeping = [], deque((i, 0) for i in range(len(scripts))), []
    while ready or sleeping:
        if not ready:
            sleeping.sort()
            _, task, step = sleeping.pop(0)
            ready.append((task, step))
        task, step = ready.popleft()
        script = scripts[task]
        while step < len(script):
            op, arg = script[step]
            step += 1
            if op in ("print", "call"):
                lines.append(str(arg))
            elif op == "sleep":
                if arg <= 0:
                    ready.append((task, step))
                else:
                    sleeping.append((arg, task, step))
                break
    return lines
