"""drain_with_consumers: one sentinel per consumer, put by the caller right after starting the producer, not after its last item.

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
    for _ in consumers:  # the producer may still be producing
        q.put(stop)
    for thread in consumers:
        thread.join()
    producer.join()
    return handled
