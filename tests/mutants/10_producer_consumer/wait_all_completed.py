"""map_bounded works in batches (wait ALL_COMPLETED), so one slow item leaves the other slots idle.

Loses: map_bounded
"""

from concurrent.futures import ALL_COMPLETED, ThreadPoolExecutor, wait


def map_bounded(work, items, max_pending) -> list:
    results = []
    batch = []
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        for item in items:
            batch.append(executor.submit(work, item))
            if len(batch) == max_pending:
                wait(batch, return_when=ALL_COMPLETED)
                results.extend(f.result() for f in batch)
                batch = []
        results.extend(f.result() for f in batch)
    return results
