"""parallel_fetch starts every thread, copies the results right away, and joins only afterwards.

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
    answer = list(results)  # read before the fetches have finished
    for thread in threads:
        thread.join()
    return answer
