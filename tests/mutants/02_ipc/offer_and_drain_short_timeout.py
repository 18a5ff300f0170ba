"""drain waits a fixed 50 ms for each item instead of `wait` seconds: an item that comes a little
later is left behind.

Loses: offer_and_drain
"""

import queue


def drain(q, wait=1.0) -> list:
    items = []
    while True:
        try:
            items.append(q.get(timeout=0.05))
        except queue.Empty:
            return items
