"""TrafficLight.wait_green() treats timeout=None as "do not wait" and returns the current colour at once.

Loses: traffic_light
"""


def _wait_green(self, timeout=None) -> bool:
    if timeout is None:
        return self._green.is_set()
    return self._green.wait(timeout)


TrafficLight.wait_green = _wait_green
