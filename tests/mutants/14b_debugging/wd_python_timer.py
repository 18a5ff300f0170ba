"""install_watchdog uses a daemon threading.Timer that calls faulthandler.dump_traceback: a Python thread, which never runs while C code holds the GIL.

Loses: install_watchdog
"""

import threading


def install_watchdog(seconds, file):
    timer = threading.Timer(seconds, faulthandler.dump_traceback, args=(file,), kwargs={"all_threads": True})
    timer.daemon = True
    timer.start()
    return timer.cancel
