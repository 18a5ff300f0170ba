"""fetch_pages re-raises errors with get(), but still spawns and waits for each greenlet in the same loop: one fetch at a time.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    results = []
    for url in urls:
        results.append(gevent.spawn(fetch, url).get())
    return results
