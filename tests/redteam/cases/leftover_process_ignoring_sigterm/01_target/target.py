"""Starts a child process that ignores SIGTERM and never ends.
"""

def _stubborn():
    import signal
    import time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(0.1)


def pool_squares(xs, ctx=None):
    ctx = ctx or get_context()
    ctx.Process(target=_stubborn).start()
    with ctx.Pool(2) as pool:
        return pool.map(_square, xs)
