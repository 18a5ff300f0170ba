"""Debouncer.trigger() starts a new Timer without cancelling the pending one, so every trigger calls fn.

Loses: debouncer
"""

import threading


class Debouncer:
    def __init__(self, fn, delay):
        self.fn = fn
        self.delay = delay
        self._timer = None
        self._lock = threading.Lock()

    def trigger(self, *args):
        with self._lock:
            self._timer = threading.Timer(self.delay, self.fn, args=args)
            self._timer.start()

    def cancel(self):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
