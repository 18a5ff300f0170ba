"""TicketBooth.buy() decides under the lock but appends after releasing it.

Loses: ticket_booth
"""


def buy(self, buyer):
    with self.lock:
        ok = len(self.sold) < self.seats
    if ok:
        self.sold.append(buyer)
    return ok


TicketBooth.buy = buy
