"""fetch_pages collects the results with gevent.iwait, in the order the fetches finish, not the order of urls.

Loses: fetch_pages
"""

import gevent


def fetch_pages(urls, fetch) -> list:
    greenlets = [gevent.spawn(fetch, url) for url in urls]
    results = []
    try:
        for greenlet in gevent.iwait(greenlets):
            results.append(greenlet.get())
    finally:
        gevent.killall(greenlets)
    return results
