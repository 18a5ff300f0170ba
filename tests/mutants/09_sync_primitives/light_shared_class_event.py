"""TrafficLight keeps its Event in a class attribute, so every light shares one Event: turning one green turns all green.

Loses: traffic_light
"""

import threading


class TrafficLight:
    _green = threading.Event()

    def __init__(self):
        self._green.clear()

    def go_green(self) -> None:
        self._green.set()

    def go_red(self) -> None:
        self._green.clear()

    def is_green(self) -> bool:
        return self._green.is_set()

    def wait_green(self, timeout=None) -> bool:
        return self._green.wait(timeout)
