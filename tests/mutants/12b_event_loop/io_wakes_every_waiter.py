"""When select() returns, every task waiting on any socket is resumed, not only those whose socket is ready.

Loses: io_waits
"""


def _wait(self, timeout):
    if timeout is None and self._sleepers:
        timeout = max(0.0, self._sleepers[0][0] - time.monotonic())
    if self.selector.select(timeout):
        for sock in list(self._waiting):
            for event in list(self._waiting.get(sock, {})):
                self._ready.append(self._unwatch(sock, event))


EventLoop._wait = _wait
