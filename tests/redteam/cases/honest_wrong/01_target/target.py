"""An honest submission with a wrong answer everywhere.
"""

import threading
from multiprocessing import get_context


def add(a, b):
    return a - b


def count_with_threads(n_threads, per_thread):
    return n_threads


def pool_squares(xs, ctx=None):
    return list(xs)


class Account:
    def __init__(self, id, balance, lock=None):
        self.id = id
        self.balance = balance
        self.lock = lock or threading.Lock()


def transfer(src, dst, amount):
    pass
