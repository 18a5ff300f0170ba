"""The socket is registered when a task waits on it and never unregistered: waiting on it a second time (or on a new socket with the same fd) raises KeyError.

Loses: io_waits
"""

import selectors


def _watch(self, sock, event, task):
    self._waiting[(sock, event)] = task
    self.selector.register(sock, event, (event, task))


def _wait(self, timeout):
    if timeout is None and self._sleepers:
        timeout = max(0.0, self._sleepers[0][0] - time.monotonic())
    for key, events in self.selector.select(timeout):
        event, task = key.data
        if events & event and (key.fileobj, event) in self._waiting:
            del self._waiting[(key.fileobj, event)]
            self._ready.append(task)


EventLoop._watch = _watch
EventLoop._wait = _wait
