"""Latch.wait() loops on the count, but count_down() wakes only one waiter with notify().

Loses: latch
"""


def count_down(self):
    with self.cond:
        if self.count > 0:
            self.count -= 1
        self.cond.notify()


Latch.count_down = count_down
