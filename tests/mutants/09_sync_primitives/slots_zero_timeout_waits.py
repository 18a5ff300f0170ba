"""SlotPool.acquire() tests `if timeout:`, so acquire(0) on a full pool waits forever instead of returning False at once.

Loses: slot_pool
"""


def _acquire(self, timeout=None):
    if timeout:
        return self._slots.acquire(timeout=timeout)
    return self._slots.acquire()


SlotPool.acquire = _acquire
