"""Leaves an orphan behind, then hangs with SIGALRM blocked.
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


def pool_squares(xs, ctx=None):
    import time
    _orphan()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(60)
