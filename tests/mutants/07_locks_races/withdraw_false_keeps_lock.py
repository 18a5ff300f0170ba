"""withdraw() uses acquire()/release() and returns False early without releasing the account's lock.

Loses: withdraw
"""


def withdraw(account, amount):
    account.lock.acquire()
    if account.balance < amount:
        return False
    account.balance -= amount
    account.lock.release()
    return True
