"""SlotPool.acquire() without a timeout waits for a slot but forgets to return True (it returns None).

Loses: slot_pool
"""


def _acquire(self, timeout=None):
    if timeout is None:
        self._slots.acquire()
    else:
        return self._slots.acquire(timeout=timeout)


SlotPool.acquire = _acquire
