"""SafeCounter.increment() does `self._count += amount` without taking the lock.

Loses: safe_counter
"""

import threading


class SafeCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def increment(self, amount=1):
        self._count += amount

    @property
    def value(self):
        return self._count
