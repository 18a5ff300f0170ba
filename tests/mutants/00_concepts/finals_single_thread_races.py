"""Forgets that one thread alone races with nobody.

Loses: lost_update_finals
"""


def lost_update_finals(n_threads, increments):
    if increments == 1:
        return set(range(1, n_threads + 1))
    return set(range(2, n_threads * increments + 1))
