"""SafeCounter.increment() reads the count before taking the lock and only writes under it.

Loses: safe_counter
"""

import threading


class SafeCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def increment(self, amount=1):
        current = self._count
        with self._lock:
            self._count = current + amount

    @property
    def value(self):
        with self._lock:
            return self._count
