"""map_bounded returns the results in the order they finished, not in input order.

Loses: map_bounded
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait


def map_bounded(work, items, max_pending) -> list:
    results = []
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        pending = set()
        for item in items:
            pending.add(executor.submit(work, item))
            if len(pending) >= max_pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                results.extend(f.result() for f in done)
        results.extend(f.result() for f in as_completed(pending))
    return results
