"""Believes at least one thread's increments all survive: the minimum is `increments`.

Loses: lost_update_finals
"""


def lost_update_finals(n_threads, increments):
    return set(range(increments, n_threads * increments + 1))
