"""transfer orders the locks by id(account) (the object's memory address) instead of the account's id attribute.

Loses: transfer
"""


def transfer(src, dst, amount):
    first, second = (src, dst) if id(src) < id(dst) else (dst, src)
    with first.lock:
        with second.lock:
            src.balance -= amount
            dst.balance += amount
