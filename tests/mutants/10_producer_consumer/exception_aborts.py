"""fetch_all uses executor.map, so the first failing fetch raises and every other result is lost.

Loses: fetch_all
"""

from concurrent.futures import ThreadPoolExecutor


def fetch_all(urls, fetch, max_workers) -> dict:
    urls = list(urls)
    with ThreadPoolExecutor(max_workers=max_workers) as executor:
        return dict(zip(urls, executor.map(fetch, urls)))
