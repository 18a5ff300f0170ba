"""transfer locks only the source account, so the credit to dst is unprotected.

Loses: transfer
"""


def transfer(src: Account, dst: Account, amount: int) -> None:
    with src.lock:
        src.balance -= amount
        dst.balance += amount
