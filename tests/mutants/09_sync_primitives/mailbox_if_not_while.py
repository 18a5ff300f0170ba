"""Mailbox.get() checks for an item with `if` instead of `while`, so a wake-up without an item crashes it.

Loses: mailbox
"""

import collections
import threading


class Mailbox:
    def __init__(self):
        self.cond = threading.Condition()
        self.items = collections.deque()

    def put(self, item):
        with self.cond:
            self.items.append(item)
            self.cond.notify()

    def get(self, timeout=None):
        with self.cond:
            if not self.items:
                if not self.cond.wait(timeout):
                    raise TimeoutError("no item")
            return self.items.popleft()
