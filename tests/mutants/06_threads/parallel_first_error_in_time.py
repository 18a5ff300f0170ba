"""parallel_fetch collects errors in the order they happen and raises the one that happened first, not the first url's.

Loses: parallel_fetch
"""

import threading


def parallel_fetch(urls, fetch) -> list:
    results = [None] * len(urls)
    errors = []

    def worker(i, url):
        try:
            results[i] = fetch(url)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
