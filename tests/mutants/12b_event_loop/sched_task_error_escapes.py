"""Only StopIteration is caught: a task that raises stops the whole loop and run() raises.

Loses: scheduler
"""

import heapq
import selectors


def _step(self, task):
    try:
        command = next(task.gen)
    except StopIteration as stop:
        task.done, task.result = True, stop.value
        return
    if command is None:
        self._ready.append(task)
    elif command[0] == "sleep":
        heapq.heappush(self._sleepers, (time.monotonic() + command[1], next(self._order), task))
    else:
        event = selectors.EVENT_READ if command[0] == "read" else selectors.EVENT_WRITE
        self._watch(command[1], event, task)


EventLoop._step = _step
