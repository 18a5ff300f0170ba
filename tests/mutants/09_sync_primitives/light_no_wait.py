"""TrafficLight.wait_green() just returns is_set() without waiting.

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
        return self._green.is_set()
