"""("sleep", s) is done with time.sleep(s) inside the loop, so a sleeping task stops every other task.

Loses: scheduler
"""

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
        time.sleep(command[1])
        self._ready.append(task)
    else:
        event = selectors.EVENT_READ if command[0] == "read" else selectors.EVENT_WRITE
        self._watch(command[1], event, task)


EventLoop._step = _step
