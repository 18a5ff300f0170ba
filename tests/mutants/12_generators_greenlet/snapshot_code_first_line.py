"""snapshot takes the line from the frame's code object (f_code.co_firstlineno): that is where the
function starts, the same for every call and every step, not where this generator is paused.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    state = inspect.getgeneratorstate(gen)
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot(state, None, {})
    return GenSnapshot(state, frame.f_code.co_firstlineno, dict(frame.f_locals))
