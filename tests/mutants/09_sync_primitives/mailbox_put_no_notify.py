"""Mailbox.put() appends under the lock but never notifies, so a waiting get() only sees the item when its timeout runs out.

Loses: mailbox
"""


def _put(self, item):
    with self.cond:
        self.items.append(item)


Mailbox.put = _put
