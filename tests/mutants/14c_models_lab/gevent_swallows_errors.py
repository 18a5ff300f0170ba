"""run_gevent joins the pool and reads each greenlet's .value: a failed call becomes None instead of raising.

Loses: io_runners
"""


def run_gevent(fn, items, size):
    import gevent.pool

    pool = gevent.pool.Pool(size)
    greenlets = [pool.spawn(fn, x) for x in items]
    pool.join()
    return [g.value for g in greenlets]
