"""drain checks empty() and then waits in get() with no timeout: it misses items on their way, and
on a queue that empties between the check and the get it waits for ever.

Loses: offer_and_drain
"""


def drain(q, wait=1.0) -> list:
    items = []
    while not q.empty():
        items.append(q.get())
    return items
