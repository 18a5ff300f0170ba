"""fetch_pages uses joinall(raise_error=True) but never kills the greenlets still running when a fetch fails.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    gevent.joinall(greenlets, raise_error=True)
    return [greenlet.value for greenlet in greenlets]
