"""sleep_sort joins each greenlet right after spawning it (one sleep at a time, in input order)
and hides that by returning sorted(result).

Loses: sleep_sort
"""

import time

import gevent


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        time.sleep(n * unit)
        finished.append(n)

    for n in numbers:
        gevent.spawn(sleeper, n).join()
    return sorted(finished)
