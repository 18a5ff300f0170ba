"""withdraw() guards the check and the subtraction with one module-level lock instead of the account's own lock, so other code that locks the account is not excluded.

Loses: withdraw
"""

import threading

_withdraw_lock = threading.Lock()


def withdraw(account, amount):
    with _withdraw_lock:
        if account.balance >= amount:
            account.balance -= amount
            return True
        return False
