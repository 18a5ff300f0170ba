"""SafeCounter.increment() creates a new Lock on every call, so no two calls ever share a lock.

Loses: safe_counter
"""

import threading


class SafeCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def increment(self, amount=1):
        with threading.Lock():
            self._count += amount

    @property
    def value(self):
        return self._count
