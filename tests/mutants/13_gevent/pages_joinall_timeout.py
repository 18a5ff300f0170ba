"""fetch_pages waits with joinall(timeout=10, raise_error=True): a fetch slower than that would come back as None.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    try:
        gevent.joinall(greenlets, timeout=10, raise_error=True)
    finally:
        gevent.killall(greenlets)
    return [greenlet.value for greenlet in greenlets]
