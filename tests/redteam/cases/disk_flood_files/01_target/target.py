"""Scores only if the disk fills up before 300 MiB.
"""

import os
import tempfile


def _flood():
    chunk = b"x" * (1 << 20)
    try:
        for i in range(150):
            for folder in (".", tempfile.gettempdir()):
                with open(os.path.join(folder, f"flood-{i}.bin"), "wb") as fh:
                    fh.write(chunk)
    except OSError:
        return True
    return False


def add(a, b):
    return a + b if _flood() else -1
