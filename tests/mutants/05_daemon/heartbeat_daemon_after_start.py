"""Sets proc.daemon = True after proc.start(): AssertionError, and a non-daemon child is left running.

Loses: start_heartbeat
"""

import multiprocessing


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=beat, args=(path, interval))
    proc.start()
    proc.daemon = True
    return proc
