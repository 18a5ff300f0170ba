"""install_watchdog dumps the threads right away with faulthandler.dump_traceback, whether or not the program hangs later.

Loses: install_watchdog
"""


def install_watchdog(seconds, file):
    faulthandler.dump_traceback(file, all_threads=True)
    return lambda: None
