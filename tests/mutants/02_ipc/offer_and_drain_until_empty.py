"""drain takes items while empty() says False: right after a put() the item is still in the feeder
thread, empty() says True, and drain returns without it.

Loses: offer_and_drain
"""


def drain(q, wait=1.0) -> list:
    items = []
    while not q.empty():
        items.append(q.get_nowait())
    return items
