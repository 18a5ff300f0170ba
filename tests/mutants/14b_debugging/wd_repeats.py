"""install_watchdog passes repeat=True: a hung program dumps its threads again every `seconds`.

Loses: install_watchdog
"""


def install_watchdog(seconds, file):
    faulthandler.dump_traceback_later(seconds, repeat=True, file=file)
    return faulthandler.cancel_dump_traceback_later
