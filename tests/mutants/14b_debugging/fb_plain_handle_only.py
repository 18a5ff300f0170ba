"""find_blocking_call's callback pattern expects "<Handle name(...) at file:line": TimerHandles (call_later) and bound methods (no "at") are missed.

Loses: find_blocking_call
"""

_solution_find_blocking_call = find_blocking_call


def find_blocking_call(log):
    kept = []
    for line in log.splitlines():
        if "Executing <TimerHandle" in line:
            continue
        if "Executing <Handle" in line and not re.search(r"\) at \S+:\d+ created at", line):
            continue
        kept.append(line)
    return _solution_find_blocking_call("\n".join(kept))
