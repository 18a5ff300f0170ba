"""run_gevent calls gevent.monkey.patch_all() first, "to be safe": it patches the caller's whole process (threads, time.sleep, sockets) for good.

Loses: io_runners
"""


def run_gevent(fn, items, size):
    from gevent import monkey

    monkey.patch_all()
    import gevent.pool

    return list(gevent.pool.Pool(size).map(fn, items))
