"""run_pipeline returns right after queuing the sentinels, without joining the consumer threads.

Loses: run_pipeline
"""

import queue
import threading


def run_pipeline(items, work, n_consumers=3) -> list:
    q = queue.Queue()
    results = []
    lock = threading.Lock()
    for _ in range(n_consumers):
        threading.Thread(target=_consume, args=(q, work, results, lock), daemon=True).start()
    for item in items:
        q.put(item)
    for _ in range(n_consumers):
        q.put(None)
    return sorted(results)
