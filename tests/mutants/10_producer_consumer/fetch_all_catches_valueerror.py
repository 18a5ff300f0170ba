"""fetch_all only catches ValueError from a fetch, so any other failing fetch (OSError, KeyError...) aborts the whole call.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor, as_completed


def fetch_all(urls, fetch, max_workers) -> dict:
    results = {}
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = {executor.submit(fetch, url): url for url in urls}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except ValueError as exc:
                results[futures[future]] = exc
    return results
