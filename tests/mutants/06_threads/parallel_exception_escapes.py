"""parallel_fetch runs the fetches at the same time, but a worker's exception escapes its thread: printed, never raised in the caller.

Loses: parallel_fetch
"""

import threading


def parallel_fetch(urls, fetch) -> list:
    results = [None] * len(urls)

    def worker(i, url):
        results[i] = fetch(url)

    threads = [threading.Thread(target=worker, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
