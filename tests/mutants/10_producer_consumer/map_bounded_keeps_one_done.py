"""map_bounded takes only one future out of the done set of wait(FIRST_COMPLETED), so results of other futures that finished together are lost.

Loses: map_bounded
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def map_bounded(work, items, max_pending) -> list:
    results = {}
    count = 0
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        pending = {}
        for index, item in enumerate(items):
            count += 1
            pending[executor.submit(work, item)] = index
            if len(pending) >= max_pending:
                done, not_done = wait(pending, return_when=FIRST_COMPLETED)
                future = done.pop()
                results[pending[future]] = future.result()
                pending = {f: pending[f] for f in not_done}
        for future in pending:
            results[pending[future]] = future.result()
    return [results.get(i) for i in range(count)]
