"""averager averages the new number with the previous mean, not with every number sent so far.

Loses: averager
"""


def averager():
    def running_mean():
        mean = None
        while True:
            x = yield mean
            mean = float(x) if mean is None else (mean + x) / 2

    coro = running_mean()
    next(coro)
    return coro
