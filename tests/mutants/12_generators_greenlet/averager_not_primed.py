"""averager is a plain generator function: it is never primed, so the first send(x) fails.

Loses: averager
"""


def averager():
    total = 0.0
    count = 0
    mean = None
    while True:
        x = yield mean
        total += x
        count += 1
        mean = total / count
