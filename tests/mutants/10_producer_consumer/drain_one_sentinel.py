"""drain_with_consumers: a sentinel no item can equal, but ONE for all the consumers: the others wait forever.

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
        q.put(stop)  # "the consumers stop at the sentinel"

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
    for thread in consumers:
        thread.join()
    producer.join()
    return handled
