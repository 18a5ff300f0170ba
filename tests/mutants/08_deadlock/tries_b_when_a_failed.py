"""acquire_both tries b even when a timed out (then gives back what it got), so it touches b and waits twice the timeout.

Loses: acquire_both
"""


def acquire_both(a, b, timeout):
    got_a = a.acquire(timeout=timeout)
    got_b = b.acquire(timeout=timeout)
    if got_a and got_b:
        return True
    if got_b:
        b.release()
    if got_a:
        a.release()
    return False
