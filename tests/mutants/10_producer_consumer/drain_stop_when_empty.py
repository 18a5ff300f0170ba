"""drain_with_consumers: no sentinels; a consumer stops as soon as q.empty(), so a slow producer loses items.

Loses: drain_with_consumers
"""

import queue
import threading


def drain_with_consumers(items, handle, n_consumers=3) -> list:
    q = queue.Queue()
    handled = []
    lock = threading.Lock()

    def produce():
        for item in items:
            q.put(item)

    def consume():
        while not q.empty():
            item = q.get()
            handle(item)
            with lock:
                handled.append(item)

    producer = threading.Thread(target=produce)
    producer.start()
    consumers = [threading.Thread(target=consume) for _ in range(n_consumers)]
    for thread in consumers:
        thread.start()
    producer.join()
    for thread in consumers:
        thread.join()
    return handled
