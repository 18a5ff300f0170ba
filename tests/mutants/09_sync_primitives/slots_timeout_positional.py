"""SlotPool.acquire() passes the timeout positionally, where Semaphore.acquire expects `blocking`: it waits forever.

Loses: slot_pool
"""

import threading


class SlotPool:
    def __init__(self, size):
        self._slots = threading.BoundedSemaphore(size)

    def acquire(self, timeout=None):
        return self._slots.acquire(timeout)

    def release(self):
        self._slots.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
