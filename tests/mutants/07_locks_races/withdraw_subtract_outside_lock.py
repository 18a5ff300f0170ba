"""withdraw() checks the balance under the lock but subtracts after releasing it, so two threads can both pass the check.

Loses: withdraw
"""


def withdraw(account, amount):
    with account.lock:
        enough = account.balance >= amount
    if enough:
        account.balance -= amount
    return enough
