"""Leaves an orphan behind and returns the right answer.
"""

import os
import signal
import sys


def _orphan():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            code = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True: time.sleep(0.1)"
            os.execv(sys.executable, [sys.executable, "-c", code, "@@MARKER@@"])
        os._exit(0)


def add(a, b):
    _orphan()
    return a + b
