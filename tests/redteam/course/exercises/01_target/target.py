"""The red-team course's stub (cases with `base: stub` in case.yml are appended to it)."""

import threading
from multiprocessing import get_context


def add(a, b):
    raise NotImplementedError


def count_with_threads(n_threads, per_thread):
    raise NotImplementedError


def pool_squares(xs, ctx=None):
    raise NotImplementedError


class Account:
    def __init__(self, id, balance, lock=None):
        self.id = id
        self.balance = balance
        self.lock = lock or threading.Lock()


def transfer(src, dst, amount):
    raise NotImplementedError
