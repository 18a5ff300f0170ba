"""delegate forwards send() and throw() by hand, but when sub returns in answer to a throw() the
StopIteration escapes from the generator body (a RuntimeError) instead of becoming delegate's
return value.

Loses: delegate
"""


def delegate(sub):
    value = next(sub)
    while True:
        try:
            sent = yield value
        except GeneratorExit:
            sub.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - forwarded into sub
            value = sub.throw(exc)
            continue
        try:
            value = sub.send(sent)
        except StopIteration as stop:
            return stop.value
