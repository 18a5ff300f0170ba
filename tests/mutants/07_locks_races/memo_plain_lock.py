"""MemoCache uses a plain Lock, so a compute that calls get() again waits for itself forever.

Loses: memo_cache
"""

import threading


class MemoCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._values = {}

    def get(self, key, compute):
        with self._lock:
            if key not in self._values:
                self._values[key] = compute(self, key)
            return self._values[key]
