"""Thinks of tasks as threads: the loop switches to the next task after every step.

Loses: async_output
"""

from collections import deque


def async_output(scripts):
    lines, ready, sleeping, now = [], deque((i, 0) for i in range(len(scripts))), [], 0.0
    while ready or sleeping:
        if not ready:
            sleeping.sort()
            now, task, step = sleeping.pop(0)
            ready.append((task, step))
        task, step = ready.popleft()
        script = scripts[task]
        if step < len(script):
            op, arg = script[step]
            if op in ("print", "call"):
                lines.append(str(arg))
                ready.append((task, step + 1))
            elif arg <= 0:
                ready.append((task, step + 1))
            else:
                sleeping.append((now + arg, task, step + 1))
    return lines
