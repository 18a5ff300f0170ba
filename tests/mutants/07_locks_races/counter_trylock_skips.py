"""SafeCounter.increment() uses acquire(blocking=False) and silently skips the update when another thread holds the lock.

Loses: safe_counter
"""

import threading


class SafeCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def increment(self, amount=1):
        if self._lock.acquire(blocking=False):
            try:
                self._count += amount
            finally:
                self._lock.release()

    @property
    def value(self):
        return self._count
