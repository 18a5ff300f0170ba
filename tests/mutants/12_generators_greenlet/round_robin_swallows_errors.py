"""round_robin treats any exception from a task as "finished" and drops the task, so a task that
fails is silently ignored instead of its error reaching the caller.

Loses: round_robin
"""

from collections import deque


def round_robin(*tasks) -> list:
    ready = deque(tasks)
    produced = []
    while ready:
        task = ready.popleft()
        try:
            value = next(task)
        except Exception:  # noqa: BLE001 - the mistake
            continue
        produced.append(value)
        ready.append(task)
    return produced
