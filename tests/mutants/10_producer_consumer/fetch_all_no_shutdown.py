"""fetch_all never shuts its ThreadPoolExecutor down (no with block), so its worker threads are left behind.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers) -> dict:
    results = {}
    executor = ThreadPoolExecutor(max_workers=max_workers)
    futures = {executor.submit(fetch, url): url for url in urls}
    for future in as_completed(futures):
        try:
            results[futures[future]] = future.result()
        except Exception as exc:  # noqa: BLE001
            results[futures[future]] = exc
    return results
