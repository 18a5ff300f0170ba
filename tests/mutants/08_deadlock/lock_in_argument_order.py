"""transfer locks src then dst (argument order), so opposite transfers take the locks in opposite orders.

Loses: transfer
"""


def transfer(src: Account, dst: Account, amount: int) -> None:
    with src.lock:
        with dst.lock:
            src.balance -= amount
            dst.balance += amount
