"""beat writes each dot with print(), which adds a newline: the file holds ".\n" per beat, not ".".

Loses: start_heartbeat
"""

import time


def beat(path, interval) -> None:
    while True:
        with open(path, "a") as fh:
            print(".", file=fh)
        time.sleep(interval)
