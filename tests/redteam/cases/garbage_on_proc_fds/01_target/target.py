"""Writes junk lines to every pipe it holds.
"""

import os

for _fd in os.listdir("/proc/self/fd"):
    try:
        if int(_fd) > 2 and os.readlink(f"/proc/self/fd/{_fd}").startswith("pipe:"):
            os.write(int(_fd), b"this is not a record\n")
    except OSError:
        pass
