"""SlotPool.acquire() ignores the result of the timed acquire and always returns True.

Loses: slot_pool
"""

import threading


class SlotPool:
    def __init__(self, size):
        self._slots = threading.BoundedSemaphore(size)

    def acquire(self, timeout=None):
        self._slots.acquire(timeout=timeout)
        return True

    def release(self):
        self._slots.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
