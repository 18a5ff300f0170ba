"""parallel_fetch raises a fetch's exception as soon as it has joined that thread, leaving the later threads running.

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
    for i, thread in enumerate(threads):
        thread.join()
        if errors[i] is not None:
            raise errors[i]
    return results
