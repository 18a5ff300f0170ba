"""Believes every `await` gives up control, also `await say(...)`, which never waits.

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
        while step < len(script):
            op, arg = script[step]
            step += 1
            if op == "print":
                lines.append(str(arg))
            elif op == "call":
                lines.append(str(arg))
                ready.append((task, step))
                break
            elif op == "sleep":
                if arg <= 0:
                    ready.append((task, step))
                else:
                    sleeping.append((now + arg, task, step))
                break
    return lines
