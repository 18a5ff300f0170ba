"""snapshot works the state out by hand from gi_frame and gi_suspended: it forgets GEN_RUNNING
(a generator that calls snapshot on itself is reported as not started), and gi_suspended does not
exist before Python 3.11.

Loses: snapshot
"""

import inspect


def snapshot(gen) -> GenSnapshot:
    if not inspect.isgenerator(gen):
        raise TypeError("snapshot() needs a generator object")
    frame = gen.gi_frame
    if frame is None:
        return GenSnapshot("GEN_CLOSED", None, {})
    state = "GEN_SUSPENDED" if gen.gi_suspended else "GEN_CREATED"
    return GenSnapshot(state, frame.f_lineno, dict(frame.f_locals))
