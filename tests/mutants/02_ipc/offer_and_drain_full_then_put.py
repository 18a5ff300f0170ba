"""offer asks full() first and then put()s: another producer can fill the last slot in between,
and put() then waits for room instead of returning False.

Loses: offer_and_drain
"""


def offer(q, item) -> bool:
    if q.full():
        return False
    q.put(item)
    return True
