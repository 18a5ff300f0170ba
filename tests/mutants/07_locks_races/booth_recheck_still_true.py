"""TicketBooth.buy() re-checks under the lock but returns True even when the re-check finds the booth full.

Loses: ticket_booth
"""


def buy(self, buyer):
    if len(self.sold) >= self.seats:
        return False
    with self.lock:
        if len(self.sold) < self.seats:
            self.sold.append(buyer)
    return True


TicketBooth.buy = buy
