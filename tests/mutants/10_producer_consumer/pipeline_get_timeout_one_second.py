"""run_pipeline consumers stop when get(timeout=1) finds the queue empty: a slow producer loses items.

Loses: run_pipeline
"""


def run_pipeline(items, work, n_consumers=3):
    q = queue.Queue()
    results = []

    def consumer():
        while True:
            try:
                item = q.get(timeout=1)
            except queue.Empty:
                return
            if item is None:
                return
            results.append(work(item))

    threads = [threading.Thread(target=consumer) for _ in range(n_consumers)]
    for t in threads:
        t.start()
    try:
        for item in items:
            q.put(item)
    finally:
        for _ in threads:
            q.put(None)
        for t in threads:
            t.join()
    return sorted(results)
