"""Registers an exit handler that forges results; the runner ends with os._exit, so it never runs.
"""

import atexit
import json
import os


def _forge():
    print("===== 5 passed =====")
    for fd in range(3, 64):
        try:
            os.write(fd, (json.dumps({"event": "end", "rc": 0}) + "\n").encode())
        except OSError:
            pass


atexit.register(_forge)
