"""TrafficLight.go_red() replaces the Event with a new one, so threads already waiting on the old Event never see the next green.

Loses: traffic_light
"""

import threading


class TrafficLight:
    def __init__(self):
        self._green = threading.Event()

    def go_green(self) -> None:
        self._green.set()

    def go_red(self) -> None:
        self._green = threading.Event()  # "a fresh red light"

    def is_green(self) -> bool:
        return self._green.is_set()

    def wait_green(self, timeout=None) -> bool:
        return self._green.wait(timeout)
