"""acquire_both returns False when b times out but keeps holding a.

Loses: acquire_both
"""


def acquire_both(a, b, timeout: float) -> bool:
    if not a.acquire(timeout=timeout):
        return False
    if not b.acquire(timeout=timeout):
        return False
    return True
