"""("write", sock) registers the socket for EVENT_READ like ("read", sock): a writer is only woken when data arrives.

Loses: io_waits
"""

import heapq
import selectors


def _step(self, task):
    try:
        command = next(task.gen)
    except StopIteration as stop:
        task.done, task.result = True, stop.value
        return
    except Exception as exc:  # noqa: BLE001
        task.done, task.exception = True, exc
        return
    if command is None:
        self._ready.append(task)
    elif command[0] == "sleep":
        heapq.heappush(self._sleepers, (time.monotonic() + command[1], next(self._order), task))
    else:
        self._watch(command[1], selectors.EVENT_READ, task)


EventLoop._step = _step
