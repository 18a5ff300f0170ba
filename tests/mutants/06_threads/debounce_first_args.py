"""Debouncer keeps the first trigger's arguments for the whole burst.

Loses: debouncer
"""


class Debouncer:
    def __init__(self, fn, delay):
        self.fn = fn
        self.delay = delay
        self._lock = threading.Lock()
        self._timer = None
        self._args = None

    def trigger(self, *args):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            else:
                self._args = args
            self._timer = threading.Timer(self.delay, self._fire)
            self._timer.start()

    def _fire(self):
        with self._lock:
            self._timer = None
            args = self._args
        self.fn(*args)

    def cancel(self):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
