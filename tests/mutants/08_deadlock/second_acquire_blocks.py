"""acquire_both waits for b without a timeout, so it blocks for as long as another thread holds b.

Loses: acquire_both
"""


def acquire_both(a, b, timeout: float) -> bool:
    if not a.acquire(timeout=timeout):
        return False
    if not b.acquire():
        a.release()
        return False
    return True
