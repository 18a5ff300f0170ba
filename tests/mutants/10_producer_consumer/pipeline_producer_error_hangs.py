"""run_pipeline puts the sentinels only after the producer loop, so when iterating the items raises, the consumers are never stopped.

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
    for _ in consumers:
        q.put(None)
    for thread in consumers:
        thread.join()
    return sorted(results)
