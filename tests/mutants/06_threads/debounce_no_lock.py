"""Debouncer.trigger() cancels and replaces the Timer without the lock, so two threads triggering at once can each start a Timer and fn runs twice.

Loses: debouncer
"""

import threading


class Debouncer:
    def __init__(self, fn, delay):
        self.fn = fn
        self.delay = delay
        self._timer = None

    def trigger(self, *args):
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.delay, self.fn, args=args)
        self._timer.start()

    def cancel(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
