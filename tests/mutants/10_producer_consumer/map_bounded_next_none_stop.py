"""map_bounded reads the iterator with next(it, None) and stops at the first item that is None.

Loses: map_bounded
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def map_bounded(work, items, max_pending) -> list:
    it = iter(items)
    results = {}
    index = 0
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        pending = {}
        while True:
            while len(pending) < max_pending:
                item = next(it, None)
                if item is None:
                    break
                pending[executor.submit(work, item)] = index
                index += 1
            else:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results[pending.pop(future)] = future.result()
                continue
            break
        done, _ = wait(pending)
        for future in done:
            results[pending[future]] = future.result()
    return [results[i] for i in range(len(results))]
