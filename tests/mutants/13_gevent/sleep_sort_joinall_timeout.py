"""sleep_sort waits with gevent.joinall(greenlets, timeout=1): a fixed timeout shorter than the
longest sleep returns the list before the big numbers are in it.

Loses: sleep_sort
"""

import time

import gevent


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        time.sleep(n * unit)
        finished.append(n)

    gevent.joinall([gevent.spawn(sleeper, n) for n in numbers], timeout=1)
    return finished
