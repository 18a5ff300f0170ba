"""Runs the heartbeat in a daemon thread instead of a daemon process.

Loses: start_heartbeat
"""

import multiprocessing
import threading


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    thread = threading.Thread(target=beat, args=(path, interval), daemon=True)
    thread.start()
    return thread
