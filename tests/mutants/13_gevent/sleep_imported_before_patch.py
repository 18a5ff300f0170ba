"""Does `from time import sleep` above `monkey.patch_all()`: the name keeps the original,
blocking sleep, so the greenlets sleep one after another.

Loses: sleep_sort

(As an overlay: get_original() returns exactly what that early import would have bound.)
"""

import gevent
from gevent import monkey

sleep = monkey.get_original("time", "sleep")


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        sleep(n * unit)
        finished.append(n)

    gevent.joinall([gevent.spawn(sleeper, n) for n in numbers])
    return finished
