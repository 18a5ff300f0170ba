"""TicketBooth.buy() acquires the lock by hand and returns False without releasing it once sold out.

Loses: ticket_booth
"""


def buy(self, buyer):
    self.lock.acquire()
    if len(self.sold) >= self.seats:
        return False
    self.sold.append(buyer)
    self.lock.release()
    return True


TicketBooth.buy = buy
