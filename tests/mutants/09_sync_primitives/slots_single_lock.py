"""SlotPool guards the slots with one Lock, so only one holder at a time whatever the size.

Loses: slot_pool
"""

import threading


class SlotPool:
    def __init__(self, size):
        self._lock = threading.Lock()
        self._held = 0

    def acquire(self, timeout=None):
        got = self._lock.acquire(timeout=-1 if timeout is None else timeout)
        if got:
            self._held += 1
        return got

    def release(self):
        if self._held == 0:
            raise ValueError("released too many times")
        self._held -= 1
        self._lock.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
