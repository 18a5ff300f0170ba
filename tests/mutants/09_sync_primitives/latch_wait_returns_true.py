"""Latch.wait() uses wait_for with the timeout but returns True whatever wait_for said.

Loses: latch
"""


def wait(self, timeout=None):
    with self.cond:
        self.cond.wait_for(lambda: self.count == 0, timeout)
        return True


Latch.wait = wait
