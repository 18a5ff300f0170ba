"""TicketBooth.buy() holds a new threading.Lock() made in each call, not self.lock.

Loses: ticket_booth
"""

import threading


def buy(self, buyer):
    with threading.Lock():
        if len(self.sold) >= self.seats:
            return False
        self.sold.append(buyer)
        return True


TicketBooth.buy = buy
