"""When every task sleeps, the loop spins checking the clock instead of waiting in select(timeout).

Loses: scheduler
"""

import selectors


def _wait(self, timeout):
    if self._waiting:
        for key, events in self.selector.select(0):
            for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
                if events & event and event in key.data:
                    self._ready.append(self._unwatch(key.fileobj, event))


EventLoop._wait = _wait
