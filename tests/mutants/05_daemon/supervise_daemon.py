"""Runs the job in a daemon process, which is not allowed to start children of its own.

Loses: supervise
"""

import multiprocessing


def supervise(job, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=job, daemon=True)
    proc.start()
    proc.join()
    return proc.exitcode
