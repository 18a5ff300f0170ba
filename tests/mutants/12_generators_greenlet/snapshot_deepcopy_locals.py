"""snapshot copies the locals with copy.deepcopy: the values are copies, not the objects the
generator holds, and a local that cannot be copied (a generator, a lock) makes snapshot fail.

Loses: snapshot
"""

import copy
import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    state = inspect.getgeneratorstate(gen)
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot(state, None, {})
    return GenSnapshot(state, frame.f_lineno, copy.deepcopy(dict(frame.f_locals)))
