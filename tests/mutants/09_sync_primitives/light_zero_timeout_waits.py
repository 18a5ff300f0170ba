"""TrafficLight.wait_green() tests `if timeout:`, so wait_green(0) on a red light waits forever instead of returning False.

Loses: traffic_light
"""


def _wait_green(self, timeout=None):
    if timeout:
        return self._green.wait(timeout)
    return self._green.wait()


TrafficLight.wait_green = _wait_green
