"""crawl uses the pool but waits for each fetch right after submitting it: one at a time.

Loses: crawl
"""

import gevent.pool


def crawl(urls, fetch, concurrency) -> dict:
    pool = gevent.pool.Pool(concurrency)
    return {url: pool.spawn(fetch, url).get() for url in urls}
