"""run_gevent uses pool.imap_unordered: results in completion order.

Loses: io_runners
"""


def run_gevent(fn, items, size):
    import gevent.pool

    return list(gevent.pool.Pool(size).imap_unordered(fn, items))
