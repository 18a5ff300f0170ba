"""MemoCache releases the lock while computing, so racing threads compute the same key several times.

Loses: memo_cache
"""

import threading


class MemoCache:
    def __init__(self):
        self._lock = threading.RLock()
        self._values = {}

    def get(self, key, compute):
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute(self, key)
        with self._lock:
            self._values[key] = value
            return value
