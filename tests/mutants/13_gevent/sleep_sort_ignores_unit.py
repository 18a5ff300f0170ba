"""sleep_sort sleeps number * 0.02 whatever unit it is given (the default is hard-coded).

Loses: sleep_sort
"""

import time

import gevent


def sleep_sort(numbers, unit=0.02) -> list:
    finished = []

    def sleeper(n):
        time.sleep(n * 0.02)
        finished.append(n)

    gevent.joinall([gevent.spawn(sleeper, n) for n in numbers])
    return finished
