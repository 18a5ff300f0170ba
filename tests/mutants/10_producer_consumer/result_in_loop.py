"""fetch_all calls .result() right after each submit, so the fetches run one at a time.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers) -> dict:
    results = {}
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        for url in urls:
            future = executor.submit(fetch, url)
            try:
                results[url] = future.result()
            except Exception as exc:
                results[url] = exc
    return results
