"""Mailbox.get() gives every wait() the full timeout, so wake-ups without items keep it waiting past its timeout.

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
            while not self.items:
                if not self.cond.wait(timeout):
                    raise TimeoutError("no item")
            return self.items.popleft()
