"""Debouncer.trigger() ignores triggers while a Timer is pending, so fn runs delay after the FIRST trigger.

Loses: debouncer
"""

import threading


class Debouncer:
    def __init__(self, fn, delay):
        self.fn = fn
        self.delay = delay
        self._timer = None
        self._args = ()
        self._lock = threading.Lock()

    def _fire(self):
        with self._lock:
            self._timer = None
            args = self._args
        self.fn(*args)

    def trigger(self, *args):
        with self._lock:
            self._args = args
            if self._timer is None:
                self._timer = threading.Timer(self.delay, self._fire)
                self._timer.start()

    def cancel(self):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
