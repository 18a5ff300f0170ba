"""drain_with_consumers: waits for the items with q.join(), but no consumer ever calls task_done(), so it waits forever.

Loses: drain_with_consumers
"""

import queue
import threading


def drain_with_consumers(items, handle, n_consumers=3) -> list:
    q = queue.Queue()
    handled = []
    lock = threading.Lock()
    stop = object()

    def produce():
        for item in items:
            q.put(item)

    def consume():
        while True:
            item = q.get()
            if item is stop:
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
    q.join()  # "every item has been handled" -- only task_done() lowers the count
    for _ in consumers:
        q.put(stop)
    for thread in consumers:
        thread.join()
    return handled
