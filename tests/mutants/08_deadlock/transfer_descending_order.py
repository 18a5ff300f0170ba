"""transfer takes the higher account id first (descending order) instead of ascending id order.

Loses: transfer
"""


def transfer(src, dst, amount):
    first, second = (src, dst) if src.id > dst.id else (dst, src)
    with first.lock:
        with second.lock:
            src.balance -= amount
            dst.balance += amount
