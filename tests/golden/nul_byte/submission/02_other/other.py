"""Mini exercise two."""


def double(x):
    return 2 * x
