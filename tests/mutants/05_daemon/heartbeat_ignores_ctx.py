"""start_heartbeat ignores the ctx argument and always uses the default start method (multiprocessing.Process).

Loses: start_heartbeat
"""

import multiprocessing


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    proc = multiprocessing.Process(target=beat, args=(path, interval), daemon=True)
    proc.start()
    return proc
