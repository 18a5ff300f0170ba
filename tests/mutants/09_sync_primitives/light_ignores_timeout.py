"""TrafficLight.wait_green() waits on the Event without passing the timeout, so a red light blocks forever.

Loses: traffic_light
"""

import threading


class TrafficLight:
    def __init__(self):
        self._green = threading.Event()

    def go_green(self):
        self._green.set()

    def go_red(self):
        self._green.clear()

    def is_green(self):
        return self._green.is_set()

    def wait_green(self, timeout=None):
        self._green.wait()
        return True
