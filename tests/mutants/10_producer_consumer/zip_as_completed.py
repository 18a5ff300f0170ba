"""fetch_all pairs urls with as_completed() by position, so results land on the wrong urls.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers) -> dict:
    urls = list(urls)
    results = {}
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = [executor.submit(fetch, url) for url in urls]
        for url, future in zip(urls, as_completed(futures)):
            try:
                results[url] = future.result()
            except Exception as exc:
                results[url] = exc
    return results
