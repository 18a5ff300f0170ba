"""parallel_fetch raises a new RuntimeError that names the fetch's exception, instead of that exception itself.

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
        thread.join()
    for url, error in zip(urls, errors):
        if error is not None:
            raise RuntimeError(f"fetch({url!r}) failed: {error!r}")
    return results
