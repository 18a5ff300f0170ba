"""install_watchdog always dumps to stderr (faulthandler's default), not to the file it is given.

Loses: install_watchdog
"""


def install_watchdog(seconds, file):
    faulthandler.dump_traceback_later(seconds)
    return faulthandler.cancel_dump_traceback_later
