"""Joins the heartbeat process after starting it, so start_heartbeat() never returns.

Loses: start_heartbeat
"""

import multiprocessing


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=beat, args=(path, interval), daemon=True)
    proc.start()
    proc.join()
    return proc
