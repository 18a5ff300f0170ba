"""The red-team course's reference solution (every case in tests/redteam/cases/ starts from it)."""

import threading
from multiprocessing import get_context


def add(a, b):
    return a + b


def count_with_threads(n_threads, per_thread):
    lock = threading.Lock()
    total = [0]

    def work():
        for _ in range(per_thread):
            with lock:
                total[0] += 1

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total[0]


def _square(x):
    return x * x


def pool_squares(xs, ctx=None):
    ctx = ctx or get_context()
    with ctx.Pool(2) as pool:
        return pool.map(_square, xs)


class Account:
    def __init__(self, id, balance, lock=None):
        self.id = id
        self.balance = balance
        self.lock = lock or threading.Lock()


def transfer(src, dst, amount):
    first, second = sorted((src, dst), key=lambda account: account.id)
    with first.lock:
        with second.lock:
            src.balance -= amount
            dst.balance += amount
