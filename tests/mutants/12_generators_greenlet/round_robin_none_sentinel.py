"""round_robin uses next(task, None) and takes None for "finished", so a task that yields None is
dropped early and its None (and everything after it) is lost.

Loses: round_robin
"""

from collections import deque


def round_robin(*tasks) -> list:
    ready = deque(tasks)
    produced = []
    while ready:
        task = ready.popleft()
        value = next(task, None)
        if value is None:
            continue
        produced.append(value)
        ready.append(task)
    return produced
