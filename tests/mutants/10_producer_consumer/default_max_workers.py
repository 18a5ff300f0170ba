"""fetch_all creates ThreadPoolExecutor() with its default size instead of max_workers.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers) -> dict:
    results = {}
    with ThreadPoolExecutor() as executor:
        futures = {executor.submit(fetch, url): url for url in urls}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except Exception as exc:
                results[futures[future]] = exc
    return results
