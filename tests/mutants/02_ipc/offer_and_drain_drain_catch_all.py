"""drain stops at any exception of get(), not only queue.Empty: an item that cannot be unpickled
ends the drain quietly, and the caller gets a list that lacks it.

Loses: offer_and_drain
"""


def drain(q, wait=1.0) -> list:
    items = []
    while True:
        try:
            items.append(q.get(timeout=wait))
        except Exception:
            return items
