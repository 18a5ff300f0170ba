"""fetch_all sizes the pool min(max_workers, len(urls)), which is ThreadPoolExecutor(0) and a ValueError for an empty url list.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers) -> dict:
    urls = list(urls)
    results = {}
    with ThreadPoolExecutor(max_workers=min(max_workers, len(urls))) as executor:
        futures = {executor.submit(fetch, url): url for url in urls}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except Exception as exc:  # noqa: BLE001
                results[futures[future]] = exc
    return results
