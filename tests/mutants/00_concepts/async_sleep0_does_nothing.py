"""Believes `await asyncio.sleep(0)` waits for nothing, so the task just goes on.

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
            if op in ("print", "call"):
                lines.append(str(arg))
            elif op == "sleep" and arg > 0:
                sleeping.append((now + arg, task, step))
                break
    return lines
