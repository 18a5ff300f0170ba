"""sleep_sort spawns the greenlets but returns without joining them, before any has finished.

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
        gevent.spawn(sleeper, n)
    return finished
