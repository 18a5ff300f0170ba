"""Keeps the ready tasks on a stack: the task that just yielded runs again first.

Loses: async_output
"""


def async_output(scripts):
    lines, ready, sleeping, now = [], [(i, 0) for i in reversed(range(len(scripts)))], [], 0.0
    while ready or sleeping:
        if not ready:
            sleeping.sort()
            now, task, step = sleeping.pop(0)
            ready.append((task, step))
        task, step = ready.pop()
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
                    sleeping.append((now + arg, task, step))
                break
    return lines
