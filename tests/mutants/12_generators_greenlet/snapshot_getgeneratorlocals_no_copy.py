"""snapshot returns inspect.getgeneratorlocals(gen) as it is: that is the frame's own f_locals (the
dict refreshed in place on 3.10-3.12, the live proxy on 3.13), not a copy.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    state = inspect.getgeneratorstate(gen)
    line = None if gen.gi_frame is None else gen.gi_frame.f_lineno
    return GenSnapshot(state, line, inspect.getgeneratorlocals(gen))
