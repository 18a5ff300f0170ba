"""SafeCounter.increment() uses acquire()/release() without try/finally, so an increment that raises (a bad amount) leaves the lock held and every later increment hangs.

Loses: safe_counter
"""

import threading


class SafeCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def increment(self, amount=1):
        self._lock.acquire()
        self._count += amount
        self._lock.release()

    @property
    def value(self):
        return self._count
