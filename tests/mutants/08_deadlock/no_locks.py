"""transfer takes no lock at all.

Loses: transfer
"""


def transfer(src: Account, dst: Account, amount: int) -> None:
    src.balance -= amount
    dst.balance += amount
