"""SlotPool uses a plain Semaphore, so releasing too often silently adds slots instead of raising ValueError.

Loses: slot_pool
"""

import threading


class SlotPool:
    def __init__(self, size):
        self._slots = threading.Semaphore(size)

    def acquire(self, timeout=None):
        return self._slots.acquire(timeout=timeout)

    def release(self):
        self._slots.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
