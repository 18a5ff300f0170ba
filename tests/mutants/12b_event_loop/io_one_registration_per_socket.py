"""Each wait registers the socket anew with selector.register(): a task reading and another writing the same socket raise KeyError (register, not modify).

Loses: io_waits
"""


def _watch(self, sock, event, task):
    self.selector.register(sock, event, {event: task})
    self._waiting.setdefault(sock, {})[event] = task


def _unwatch(self, sock, event):
    waiters = self._waiting[sock]
    task = waiters.pop(event)
    if not waiters:
        del self._waiting[sock]
    self.selector.unregister(sock)
    return task


EventLoop._watch = _watch
EventLoop._unwatch = _unwatch
