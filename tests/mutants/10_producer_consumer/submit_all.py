"""map_bounded submits every item up front, so a huge generator is read all at once.

Loses: map_bounded
"""

from concurrent.futures import ThreadPoolExecutor


def map_bounded(work, items, max_pending) -> list:
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        futures = [executor.submit(work, item) for item in items]
        return [future.result() for future in futures]
