"""parallel_fetch keeps every exception and raises the first, but still starts and joins each thread in the same loop: one fetch at a time.

Loses: parallel_fetch
"""

import threading


def parallel_fetch(urls, fetch) -> list:
    results = [None] * len(urls)
    errors = [None] * len(urls)

    def worker(i, url):
        try:
            results[i] = fetch(url)
        except Exception as exc:
            errors[i] = exc

    for i, url in enumerate(urls):
        thread = threading.Thread(target=worker, args=(i, url))
        thread.start()
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results
