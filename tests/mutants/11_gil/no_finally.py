"""switch_interval restores the old value after the yield without try/finally, so an exception skips it.

Loses: switch_interval
"""

import sys
from contextlib import contextmanager


@contextmanager
def switch_interval(seconds: float):
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    yield old
    sys.setswitchinterval(old)
