"""TrafficLight.go_red() only records the colour and never clears the Event, so waiters pass a red light.

Loses: traffic_light
"""

import threading


class TrafficLight:
    def __init__(self):
        self._green = threading.Event()
        self._colour = "red"

    def go_green(self):
        self._colour = "green"
        self._green.set()

    def go_red(self):
        self._colour = "red"

    def is_green(self):
        return self._colour == "green"

    def wait_green(self, timeout=None):
        return self._green.wait(timeout)
