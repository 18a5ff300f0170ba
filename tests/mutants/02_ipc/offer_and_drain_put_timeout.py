"""offer waits a little for room with put(item, timeout=0.1) before giving up: the caller is blocked
on every full queue.

Loses: offer_and_drain
"""

import queue


def offer(q, item) -> bool:
    try:
        q.put(item, timeout=0.1)
    except queue.Full:
        return False
    return True
