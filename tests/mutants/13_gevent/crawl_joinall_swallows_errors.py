"""crawl spawns every fetch in the pool, joins them with gevent.joinall and reads g.value: a
fetch that raises only gets printed by gevent, and its url maps to None instead of crawl
raising.

Loses: crawl
"""

import gevent
import gevent.pool


def crawl(urls, fetch, concurrency) -> dict:
    pool = gevent.pool.Pool(concurrency)
    greenlets = {url: pool.spawn(fetch, url) for url in urls}
    gevent.joinall(list(greenlets.values()))
    return {url: g.value for url, g in greenlets.items()}
