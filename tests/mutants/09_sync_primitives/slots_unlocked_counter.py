"""SlotPool counts the slots taken in a plain int next to a Semaphore, without a lock: concurrent acquire/release lose updates.

Loses: slot_pool
"""

import threading


class SlotPool:
    def __init__(self, size):
        self._slots = threading.Semaphore(size)
        self._taken = 0

    def acquire(self, timeout=None):
        ok = self._slots.acquire(timeout=timeout)
        if ok:
            self._taken += 1
        return ok

    def release(self):
        if self._taken <= 0:
            raise ValueError("released too many times")
        self._taken -= 1
        self._slots.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
