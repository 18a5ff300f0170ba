"""averager keeps every number in a list and returns statistics.mean(values): for whole numbers
that is an int (15, not 15.0), and the spec asks for a float.

Loses: averager
"""

import statistics


def averager():
    def running_mean():
        values = []
        mean = None
        while True:
            x = yield mean
            values.append(x)
            mean = statistics.mean(values)

    coro = running_mean()
    next(coro)
    return coro
