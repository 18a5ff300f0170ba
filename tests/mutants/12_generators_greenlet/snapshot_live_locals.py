"""snapshot returns gen.gi_frame.f_locals itself, not a copy: on 3.10-3.12 that dict is refreshed in
place at the next read of f_locals, on 3.13 it is a live write-through proxy (PEP 667), so an old
snapshot shows the generator's new values.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot(inspect.GEN_CLOSED, None, {})
    return GenSnapshot(inspect.getgeneratorstate(gen), frame.f_lineno, frame.f_locals)
