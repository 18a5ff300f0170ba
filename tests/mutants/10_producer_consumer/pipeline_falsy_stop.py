"""Consumers stop on any falsy item (`if not item`), not only on the None sentinel, so an item 0 stops a consumer and is lost.

Loses: run_pipeline
"""


def _consume(q, work, results, lock):
    while True:
        item = q.get()
        if not item:
            return
        value = work(item)
        with lock:
            results.append(value)
