"""Latch.count_down() decrements the count outside the condition's lock and only locks to notify.

Loses: latch
"""


def count_down(self):
    if self.count > 0:
        self.count -= 1
    with self.cond:
        self.cond.notify_all()


Latch.count_down = count_down
