"""transfer debits under src's lock, releases it, then credits under dst's lock: the money is in neither account in between.

Loses: transfer
"""


def transfer(src: Account, dst: Account, amount: int) -> None:
    with src.lock:
        src.balance -= amount
    with dst.lock:
        dst.balance += amount
