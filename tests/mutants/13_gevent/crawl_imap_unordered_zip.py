"""crawl zips urls with pool.imap_unordered(fetch, urls): results come in completion order, so a
slow first url gets a faster url's result.

Loses: crawl
"""

import gevent.pool


def crawl(urls, fetch, concurrency) -> dict:
    pool = gevent.pool.Pool(concurrency)
    return dict(zip(urls, pool.imap_unordered(fetch, urls)))
