"""acquire_both tries each lock without waiting (blocking=False), so it gives up even when b would be free in a moment.

Loses: acquire_both
"""


def acquire_both(a, b, timeout: float) -> bool:
    if not a.acquire(blocking=False):
        return False
    if not b.acquire(blocking=False):
        a.release()
        return False
    return True
