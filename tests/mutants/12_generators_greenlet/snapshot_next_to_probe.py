"""snapshot checks whether a suspended generator has anything left by calling next() on it (a
StopIteration means closed): that runs the generator one step, and the value it yields is lost.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot(inspect.GEN_CLOSED, None, {})
    state = inspect.getgeneratorstate(gen)
    line, local_vars = frame.f_lineno, dict(frame.f_locals)
    if state == inspect.GEN_SUSPENDED:
        try:
            next(gen)  # is there anything left?
        except StopIteration:
            return GenSnapshot(inspect.GEN_CLOSED, None, {})
    return GenSnapshot(state, line, local_vars)
