"""Mailbox.get() waits under the lock but takes the item after leaving it, so two consumers can both see one item and one of them finds the box empty.

Loses: mailbox
"""


def _get(self, timeout=None):
    with self.cond:
        if not self.cond.wait_for(lambda: self.items, timeout):
            raise TimeoutError("no item")
    return self.items.popleft()


Mailbox.get = _get
