"""switch_interval yields the NEW interval instead of the old one it replaced.

Loses: switch_interval
"""

import sys
from contextlib import contextmanager


@contextmanager
def switch_interval(seconds):
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield seconds
    finally:
        sys.setswitchinterval(old)
