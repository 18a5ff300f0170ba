"""The loop polls the selector with select(0) over and over while tasks wait for sockets: it works, but spins a CPU at 100 %.

Loses: io_waits
"""

import selectors


def _wait(self, timeout):
    for key, events in self.selector.select(0):
        for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
            if events & event and event in key.data:
                self._ready.append(self._unwatch(key.fileobj, event))


EventLoop._wait = _wait
