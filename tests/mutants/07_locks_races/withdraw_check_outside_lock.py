"""withdraw() checks the balance before taking the lock and subtracts under it (check-then-act race).

Loses: withdraw
"""


def withdraw(account, amount):
    if account.balance >= amount:
        with account.lock:
            account.balance -= amount
        return True
    return False
