"""Mailbox.put() calls notify() after leaving the `with self.cond` block (RuntimeError: un-acquired lock).

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
            if not self.cond.wait_for(lambda: self.items, timeout):
                raise TimeoutError("no item")
            return self.items.popleft()
