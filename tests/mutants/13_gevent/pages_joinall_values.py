"""fetch_pages spawns every greenlet and joinall()s them, but reads .value: a failed fetch gives None, nothing is raised.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    gevent.joinall(greenlets)
    return [greenlet.value for greenlet in greenlets]
