"""TrafficLight is a flag on a Condition and go_green() calls notify(), which wakes only one of the waiting threads.

Loses: traffic_light
"""

import threading


class TrafficLight:
    def __init__(self):
        self._cond = threading.Condition()
        self._is_green = False

    def go_green(self) -> None:
        with self._cond:
            self._is_green = True
            self._cond.notify()

    def go_red(self) -> None:
        with self._cond:
            self._is_green = False

    def is_green(self) -> bool:
        return self._is_green

    def wait_green(self, timeout=None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._is_green, timeout)
