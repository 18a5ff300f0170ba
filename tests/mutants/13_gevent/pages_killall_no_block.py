"""fetch_pages kills the rest with killall(block=False): the exception leaves while those greenlets are still running.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    try:
        gevent.joinall(greenlets, raise_error=True)
    finally:
        gevent.killall(greenlets, block=False)
    return [greenlet.value for greenlet in greenlets]
