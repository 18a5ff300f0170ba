"""Believes the updates can all be lost but one: the minimum is 1.

Loses: lost_update_finals
"""


def lost_update_finals(n_threads, increments):
    return set(range(1, n_threads * increments + 1))
