"""An honest submission with a wrong answer everywhere.
"""


def add(a, b):
    return a - b


def count_with_threads(n_threads, per_thread):
    return n_threads


def pool_squares(xs, ctx=None):
    return list(xs)


def transfer(src, dst, amount):
    pass
