"""install_watchdog arms faulthandler correctly but returns a function that does not disarm it.

Loses: install_watchdog
"""


def install_watchdog(seconds, file):
    faulthandler.dump_traceback_later(seconds, file=file)
    return lambda: None
