"""fetch_pages uses Pool(len(urls)).map: a failure is raised only once map reaches its url, after the earlier fetches finish.

Loses: fetch_pages
"""

import gevent.pool


def fetch_pages(urls, fetch) -> list:
    return gevent.pool.Pool(max(1, len(urls))).map(fetch, urls)
