"""Debouncer.trigger() calls timer.run() instead of start(): it sleeps in the caller and calls fn there.

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
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self.fn, args=args)
        self._timer.run()

    def cancel(self):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
