"""Consumers use q.get(timeout=0.1) and stop on queue.Empty, so a producer that pauses loses items.

Loses: run_pipeline
"""

import queue


def _consume(q, work, results, lock):
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            return  # "nothing left to do"
        if item is None:
            return
        value = work(item)
        with lock:
            results.append(value)
