"""snapshot reads gen.gi_frame.f_lineno in every state: once the generator has finished, gi_frame
is None and the call raises AttributeError instead of reporting GEN_CLOSED.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    frame = gen.gi_frame
    return GenSnapshot(inspect.getgeneratorstate(gen), frame.f_lineno, dict(frame.f_locals))
