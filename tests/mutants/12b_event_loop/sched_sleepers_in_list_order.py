"""Sleepers are kept in a plain list and woken in the order they went to sleep once their deadline has passed, not earliest deadline first.

Loses: scheduler
"""

import selectors


def run(self):
    sleepers = []
    while self._ready or sleepers or self._waiting:
        if self._waiting or not self._ready:
            timeout = 0.0 if self._ready else None
            if timeout is None and sleepers:
                timeout = max(0.0, min(d for d, _ in sleepers) - time.monotonic())
            for key, events in self.selector.select(timeout):
                for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
                    if events & event and event in key.data:
                        self._ready.append(self._unwatch(key.fileobj, event))
        now = time.monotonic()
        for item in list(sleepers):
            if item[0] <= now:
                sleepers.remove(item)
                self._ready.append(item[1])
        for _ in range(len(self._ready)):
            task = self._ready.popleft()
            try:
                command = next(task.gen)
            except StopIteration as stop:
                task.done, task.result = True, stop.value
                continue
            except Exception as exc:  # noqa: BLE001
                task.done, task.exception = True, exc
                continue
            if command is None:
                self._ready.append(task)
            elif command[0] == "sleep":
                sleepers.append((time.monotonic() + command[1], task))
            else:
                event = selectors.EVENT_READ if command[0] == "read" else selectors.EVENT_WRITE
                self._watch(command[1], event, task)


EventLoop.run = run
