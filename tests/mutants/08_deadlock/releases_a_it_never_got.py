"""acquire_both releases a on every failure, even when a itself timed out, so it frees a lock that another thread holds.

Loses: acquire_both
"""


def acquire_both(a, b, timeout):
    got_a = a.acquire(timeout=timeout)
    got_b = got_a and b.acquire(timeout=timeout)
    if got_a and got_b:
        return True
    a.release()
    return False
