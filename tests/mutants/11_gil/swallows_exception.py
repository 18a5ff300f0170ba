"""switch_interval catches the block's exception to restore the interval, and never re-raises it.

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
    except Exception:
        pass
    sys.setswitchinterval(old)
