"""Believes the GIL makes each increment atomic: no update is ever lost.

Loses: lost_update_finals
"""


def lost_update_finals(n_threads, increments):
    return {n_threads * increments}
