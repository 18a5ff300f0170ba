"""switch_interval restores the interval in `except Exception` and after the yield, so a BaseException (KeyboardInterrupt, SystemExit) leaves the new interval behind.

Loses: switch_interval
"""

import sys
from contextlib import contextmanager


@contextmanager
def switch_interval(seconds):
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield old
    except Exception:
        sys.setswitchinterval(old)
        raise
    sys.setswitchinterval(old)
