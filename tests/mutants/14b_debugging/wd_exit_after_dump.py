"""install_watchdog passes exit=True: the program is killed right after the dump instead of going on.

Loses: install_watchdog
"""


def install_watchdog(seconds, file):
    faulthandler.dump_traceback_later(seconds, file=file, exit=True)
    return faulthandler.cancel_dump_traceback_later
