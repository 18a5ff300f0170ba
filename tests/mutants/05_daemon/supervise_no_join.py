"""Returns the exit code without joining the child, so it is still None.

Loses: supervise
"""

import multiprocessing


def supervise(job, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=job, daemon=False)
    proc.start()
    return proc.exitcode
