"""snapshot never checks that it was given a generator object: a generator function or a list gets
an AttributeError from deep inside instead of a TypeError.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    state = inspect.getgeneratorstate(gen)
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot(state, None, {})
    return GenSnapshot(state, frame.f_lineno, dict(frame.f_locals))
