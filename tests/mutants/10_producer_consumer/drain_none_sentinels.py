"""drain_with_consumers: one None sentinel per consumer, so an item that is None stops a consumer early.

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
        for _ in range(n_consumers):
            q.put(None)

    def consume():
        while True:
            item = q.get()
            if item is None:
                return
            handle(item)
            with lock:
                handled.append(item)

    consumers = [threading.Thread(target=consume) for _ in range(n_consumers)]
    producer = threading.Thread(target=produce)
    for thread in consumers:
        thread.start()
    producer.start()
    for thread in consumers:
        thread.join()
    producer.join()
    return handled
