"""run_gevent spawns a greenlet per item with gevent.spawn and joins them all: no limit of `size`.

Loses: io_runners
"""


def run_gevent(fn, items, size):
    import gevent

    greenlets = [gevent.spawn(fn, x) for x in items]
    gevent.joinall(greenlets, raise_error=True)
    return [g.value for g in greenlets]
