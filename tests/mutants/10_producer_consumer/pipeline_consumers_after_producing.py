"""run_pipeline puts every item on the queue before it starts the consumers, so nothing is processed while the producer runs.

Loses: run_pipeline
"""

import queue
import threading


def run_pipeline(items, work, n_consumers=3) -> list:
    q = queue.Queue()
    results = []
    lock = threading.Lock()
    for item in items:
        q.put(item)
    for _ in range(n_consumers):
        q.put(None)
    consumers = [threading.Thread(target=_consume, args=(q, work, results, lock)) for _ in range(n_consumers)]
    for thread in consumers:
        thread.start()
    for thread in consumers:
        thread.join()
    return sorted(results)
