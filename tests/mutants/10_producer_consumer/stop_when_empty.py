"""Consumers loop `while not q.empty()`, so they quit while a slow producer is still producing.

Loses: run_pipeline
"""


def _consume(q, work, results, lock):
    while not q.empty():
        item = q.get()
        if item is None:
            return
        value = work(item)
        with lock:
            results.append(value)
