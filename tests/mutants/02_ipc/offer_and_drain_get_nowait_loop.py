"""drain takes items with get_nowait() until queue.Empty: an item put a moment ago is not in the
pipe yet, so the first get_nowait() already raises queue.Empty.

Loses: offer_and_drain
"""

import queue


def drain(q, wait=1.0) -> list:
    items = []
    while True:
        try:
            items.append(q.get_nowait())
        except queue.Empty:
            return items
