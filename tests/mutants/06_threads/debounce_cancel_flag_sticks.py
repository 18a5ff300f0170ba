"""Debouncer.cancel() sets a flag that the timer callback checks, and trigger() never clears it, so after one cancel() no later trigger() ever calls fn.

Loses: debouncer
"""

import threading


class Debouncer:
    def __init__(self, fn, delay):
        self.fn = fn
        self.delay = delay
        self._timer = None
        self._cancelled = False
        self._lock = threading.Lock()

    def _fire(self, *args):
        if not self._cancelled:
            self.fn(*args)

    def trigger(self, *args):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._fire, args=args)
            self._timer.start()

    def cancel(self):
        with self._lock:
            self._cancelled = True
