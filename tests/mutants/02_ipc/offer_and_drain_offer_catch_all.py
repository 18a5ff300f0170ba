"""offer catches every exception around put_nowait(): a closed queue looks like a full one and the
item is silently dropped.

Loses: offer_and_drain
"""


def offer(q, item) -> bool:
    try:
        q.put_nowait(item)
    except Exception:
        return False
    return True
