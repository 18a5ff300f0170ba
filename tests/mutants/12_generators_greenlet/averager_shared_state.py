"""averager keeps its total and count at module level, so a second averager() continues the mean
of the first one instead of starting afresh.

Loses: averager
"""

_state = {"total": 0.0, "count": 0}


def averager():
    def running_mean():
        mean = None
        while True:
            x = yield mean
            _state["total"] += x
            _state["count"] += 1
            mean = _state["total"] / _state["count"]

    coro = running_mean()
    next(coro)
    return coro
