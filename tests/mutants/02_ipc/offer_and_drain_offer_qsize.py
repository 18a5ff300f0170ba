"""offer compares qsize() with the queue's maxsize: qsize() raises NotImplementedError on macOS.

Loses: offer_and_drain
"""


def offer(q, item) -> bool:
    if q.qsize() >= q._maxsize:
        return False
    q.put_nowait(item)
    return True
