"""The heartbeat process is never made a daemon, so it keeps the parent from exiting.

Loses: start_heartbeat
"""

import multiprocessing


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=beat, args=(path, interval))
    proc.start()
    return proc
