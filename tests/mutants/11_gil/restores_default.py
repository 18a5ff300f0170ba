"""switch_interval restores the default 0.005 s instead of the value it replaced.

Loses: switch_interval
"""

import sys
from contextlib import contextmanager


@contextmanager
def switch_interval(seconds: float):
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield old
    finally:
        sys.setswitchinterval(0.005)
