"""Pool workers return objects that run a command when unpickled (in the sandbox, never in the grader).
"""

import os


class _Payload:
    def __reduce__(self):
        return (os.system, ("echo $PPID > @@CANARY@@",))


def _evil(x):
    return _Payload()


def pool_squares(xs, ctx=None):
    ctx = ctx or get_context()
    with ctx.Pool(2) as pool:
        return pool.map(_evil, xs)
