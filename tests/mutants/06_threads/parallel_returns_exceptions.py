"""parallel_fetch puts a failing fetch's exception in its place in the results instead of raising it.

Loses: parallel_fetch
"""

import threading


def parallel_fetch(urls, fetch) -> list:
    results = [None] * len(urls)

    def worker(i, url):
        try:
            results[i] = fetch(url)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
