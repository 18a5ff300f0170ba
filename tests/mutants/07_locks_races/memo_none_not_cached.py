"""MemoCache uses None as "not cached yet", so a compute that returns None is called again on every get().

Loses: memo_cache
"""

import threading


class MemoCache:
    def __init__(self):
        self._lock = threading.RLock()
        self._values = {}

    def get(self, key, compute):
        with self._lock:
            value = self._values.get(key)
            if value is None:
                value = compute(self, key)
                self._values[key] = value
            return value
