"""fetch_pages spawns every greenlet and reads their values at once, without waiting: they have not even run yet.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    return [greenlet.value for greenlet in greenlets]
