"""delegate forwards next() and send() by hand but not throw(), so exceptions never reach sub.

Loses: delegate
"""


def delegate(sub):
    value = next(sub)
    while True:
        sent = yield value
        try:
            value = sub.send(sent)
        except StopIteration as stop:
            return stop.value
