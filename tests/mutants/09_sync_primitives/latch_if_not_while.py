"""Latch.count_down() notifies all, but wait() still waits once under `if` and does not re-check.

Loses: latch
"""


def count_down(self):
    with self.cond:
        if self.count > 0:
            self.count -= 1
        self.cond.notify_all()


def wait(self, timeout=None):
    with self.cond:
        if self.count > 0:
            self.cond.wait(timeout)
        return self.count == 0


Latch.count_down = count_down
Latch.wait = wait
