"""fetch_pages waits for every greenlet with joinall(), then get()s each: a failure is raised only after the slowest fetch.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    gevent.joinall(greenlets)
    return [greenlet.get() for greenlet in greenlets]
