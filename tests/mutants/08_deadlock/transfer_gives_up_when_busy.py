"""transfer takes the second lock with a timeout and silently returns without moving the money when it is busy.

Loses: transfer
"""


def transfer(src, dst, amount):
    first, second = (src, dst) if src.id < dst.id else (dst, src)
    with first.lock:
        if not second.lock.acquire(timeout=0.5):
            return
        try:
            src.balance -= amount
            dst.balance += amount
        finally:
            second.lock.release()
