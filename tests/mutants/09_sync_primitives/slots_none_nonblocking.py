"""SlotPool.acquire() passes blocking=(timeout is not None), so acquire() without a timeout never waits and returns False when full.

Loses: slot_pool
"""


def _acquire(self, timeout=None):
    return self._slots.acquire(blocking=timeout is not None, timeout=timeout)


SlotPool.acquire = _acquire
