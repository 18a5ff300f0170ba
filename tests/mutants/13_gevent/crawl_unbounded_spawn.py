"""crawl spawns one greenlet per url and joins them all: concurrency is ignored.

Loses: crawl
"""

import gevent


def crawl(urls, fetch, concurrency) -> dict:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    gevent.joinall(greenlets, raise_error=True)
    return {url: g.value for url, g in zip(urls, greenlets)}
