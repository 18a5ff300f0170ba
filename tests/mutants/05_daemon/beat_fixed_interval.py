"""beat sleeps a fixed 0.05 s (the default) instead of the interval it was given.

Loses: start_heartbeat
"""

import time


def beat(path, interval) -> None:
    while True:
        with open(path, "a") as fh:
            fh.write(".")
        time.sleep(0.05)
