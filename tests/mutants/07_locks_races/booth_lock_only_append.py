"""TicketBooth.buy() checks the seats without the lock and locks only the append.

Loses: ticket_booth
"""


def buy(self, buyer):
    if len(self.sold) < self.seats:
        with self.lock:
            self.sold.append(buyer)
        return True
    return False


TicketBooth.buy = buy
