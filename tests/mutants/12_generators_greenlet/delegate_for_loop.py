"""delegate re-yields sub's values with a for loop: sent values, throw() and the return value are lost.

Loses: delegate
"""


def delegate(sub):
    for value in sub:
        yield value
