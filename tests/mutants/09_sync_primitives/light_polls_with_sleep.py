"""TrafficLight.wait_green() polls a flag in a sleep loop instead of waiting on the Event.

Loses: traffic_light
"""

import time


class TrafficLight:
    def __init__(self):
        self._is_green = False

    def go_green(self):
        self._is_green = True

    def go_red(self):
        self._is_green = False

    def is_green(self):
        return self._is_green

    def wait_green(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._is_green:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True
