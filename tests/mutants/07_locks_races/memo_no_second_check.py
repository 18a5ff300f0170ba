"""MemoCache checks for the key without the lock, then computes under the lock without checking again, so threads racing on one missing key all compute it.

Loses: memo_cache
"""

import threading


class MemoCache:
    def __init__(self):
        self._lock = threading.RLock()
        self._values = {}

    def get(self, key, compute):
        if key in self._values:
            return self._values[key]
        with self._lock:
            value = compute(self, key)
            self._values[key] = value
            return value
