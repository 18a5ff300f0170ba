"""supervise ignores the ctx argument and always starts the child with multiprocessing.Process (default start method).

Loses: supervise
"""

import multiprocessing


def supervise(job, ctx=None) -> int:
    proc = multiprocessing.Process(target=job, daemon=False)
    proc.start()
    proc.join()
    return proc.exitcode
