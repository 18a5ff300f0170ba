"""supervise joins the child with a fixed timeout (5 s), so a job that runs longer gives exitcode None.

Loses: supervise
"""

import multiprocessing


def supervise(job, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=job, daemon=False)
    proc.start()
    proc.join(5)
    return proc.exitcode
