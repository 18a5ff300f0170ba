"""delegate forwards next(), send() and throw() by hand but never closes sub: close() on delegate
leaves sub suspended (its finally blocks never run).

Loses: delegate
"""


def delegate(sub):
    value = next(sub)
    while True:
        try:
            sent = yield value
        except GeneratorExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - forwarded into sub
            try:
                value = sub.throw(exc)
            except StopIteration as stop:
                return stop.value
            continue
        try:
            value = sub.send(sent)
        except StopIteration as stop:
            return stop.value
