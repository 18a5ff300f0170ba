"""Mailbox.get() tests `if timeout:`, so get(0) on an empty box waits forever instead of raising TimeoutError.

Loses: mailbox
"""


def _get(self, timeout=None):
    with self.cond:
        if timeout:
            if not self.cond.wait_for(lambda: self.items, timeout):
                raise TimeoutError("no item")
        else:
            self.cond.wait_for(lambda: self.items)
        return self.items.popleft()


Mailbox.get = _get
