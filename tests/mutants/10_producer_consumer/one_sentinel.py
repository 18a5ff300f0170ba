"""The producer puts a single None sentinel for all the consumers, so all but one wait forever.

Loses: run_pipeline
"""

import queue
import threading


def run_pipeline(items, work, n_consumers=3) -> list:
    q = queue.Queue()
    results = []
    lock = threading.Lock()
    consumers = [threading.Thread(target=_consume, args=(q, work, results, lock)) for _ in range(n_consumers)]
    for thread in consumers:
        thread.start()
    for item in items:
        q.put(item)
    q.put(None)  # "the consumers stop at None"
    for thread in consumers:
        thread.join()
    return sorted(results)
