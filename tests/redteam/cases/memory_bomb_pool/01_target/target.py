"""Each Pool worker holds 640 MiB.
"""

def _hog(x):
    import time
    block = bytearray(640 << 20)
    time.sleep(2)
    return len(block)


def pool_squares(xs, ctx=None):
    ctx = ctx or get_context()
    with ctx.Pool(4) as pool:
        return pool.map(_hog, range(4))
