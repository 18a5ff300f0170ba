"""sleep_sort spawns every greenlet, then joins them one by one with g.join(timeout=1): a fixed
timeout, so numbers whose sleep is longer than that are missing from the result.

Loses: sleep_sort
"""

import time

import gevent


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        time.sleep(n * unit)
        finished.append(n)

    greenlets = [gevent.spawn(sleeper, n) for n in numbers]
    for g in greenlets:
        g.join(timeout=1)
    return finished
