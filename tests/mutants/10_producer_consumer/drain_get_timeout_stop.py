"""drain_with_consumers: consumers stop when get(timeout=1) raises queue.Empty: a producer that pauses longer loses items.

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
        while True:
            try:
                item = q.get(timeout=1)
            except queue.Empty:
                return
            handle(item)
            with lock:
                handled.append(item)

    consumers = [threading.Thread(target=consume) for _ in range(n_consumers)]
    producer = threading.Thread(target=produce)
    for thread in consumers:
        thread.start()
    producer.start()
    producer.join()
    for thread in consumers:
        thread.join()
    return handled
