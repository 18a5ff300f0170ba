"""map_bounded takes the next item from the iterator before waiting for a free slot, so max_pending + 1 items are taken and unfinished at once.

Loses: map_bounded
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def map_bounded(work, items, max_pending) -> list:
    results = {}
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        pending = {}
        for index, item in enumerate(items):
            if len(pending) >= max_pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results[pending.pop(future)] = future.result()
            pending[executor.submit(work, item)] = index
        done, _ = wait(pending)
        for future in done:
            results[pending[future]] = future.result()
    return [results[i] for i in range(len(results))]
