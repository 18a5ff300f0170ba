"""averager divides with // (floor division): with a float total the means of the examples look
right (15.0, 10.0), but 1 and 2 give 1.0 instead of 1.5.

Loses: averager
"""


def averager():
    def running_mean():
        total = 0.0
        count = 0
        mean = None
        while True:
            x = yield mean
            total += x
            count += 1
            mean = total // count

    coro = running_mean()
    next(coro)
    return coro
