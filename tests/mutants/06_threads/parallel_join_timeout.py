"""parallel_fetch joins each thread with join(timeout=2): a fetch slower than that is returned as None.

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

    threads = [threading.Thread(target=worker, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2)
    for error in errors:
        if error is not None:
            raise error
    return results
