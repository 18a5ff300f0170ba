"""Mailbox.get() computes a deadline as monotonic() + timeout, which raises TypeError for the default timeout=None.

Loses: mailbox
"""

import time


def _get(self, timeout=None):
    deadline = time.monotonic() + timeout
    with self.cond:
        while not self.items:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no item")
            self.cond.wait(remaining)
        return self.items.popleft()


Mailbox.get = _get
