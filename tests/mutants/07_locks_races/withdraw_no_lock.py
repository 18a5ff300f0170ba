"""withdraw() never takes the account's lock.

Loses: withdraw
"""


def withdraw(account, amount):
    if account.balance >= amount:
        account.balance -= amount
        return True
    return False
