"""drain takes qsize() items: qsize() raises NotImplementedError on macOS (and says nothing of the
items still to come).

Loses: offer_and_drain
"""


def drain(q, wait=1.0) -> list:
    return [q.get(timeout=wait) for _ in range(q.qsize())]
