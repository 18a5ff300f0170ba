"""snapshot reports gen.gi_frame.f_lasti as the line: that is the offset of the last bytecode
instruction run, not a line number (f_lineno).

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
    return GenSnapshot(state, frame.f_lasti, dict(frame.f_locals))
