"""MemoCache uses acquire()/release() without try/finally, so a failing compute leaves the lock held.

Loses: memo_cache
"""

import threading


class MemoCache:
    def __init__(self):
        self._lock = threading.RLock()
        self._values = {}

    def get(self, key, compute):
        self._lock.acquire()
        if key not in self._values:
            self._values[key] = compute(self, key)
        value = self._values[key]
        self._lock.release()
        return value
