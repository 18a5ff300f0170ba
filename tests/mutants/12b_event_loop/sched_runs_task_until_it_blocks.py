"""A bare `yield` does not give the others a turn: the loop keeps stepping the same task until it sleeps, waits or ends.

Loses: scheduler
"""

import heapq
import selectors


def _step(self, task):
    while True:
        try:
            command = next(task.gen)
        except StopIteration as stop:
            task.done, task.result = True, stop.value
            return
        except Exception as exc:  # noqa: BLE001
            task.done, task.exception = True, exc
            return
        if command is None:
            continue
        if command[0] == "sleep":
            heapq.heappush(self._sleepers, (time.monotonic() + command[1], next(self._order), task))
        else:
            event = selectors.EVENT_READ if command[0] == "read" else selectors.EVENT_WRITE
            self._watch(command[1], event, task)
        return


EventLoop._step = _step
