"""map_bounded puts a failing item's exception into the result list instead of letting it propagate.

Loses: map_bounded
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait


def _outcome(future):
    exc = future.exception()
    return exc if exc is not None else future.result()


def map_bounded(work, items, max_pending) -> list:
    results = {}
    with ThreadPoolExecutor(max_workers=max_pending) as executor:
        pending = {}
        for index, item in enumerate(items):
            pending[executor.submit(work, item)] = index
            if len(pending) >= max_pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    results[pending.pop(future)] = _outcome(future)
        done, _ = wait(pending)
        for future in done:
            results[pending[future]] = _outcome(future)
    return [results[i] for i in range(len(results))]
