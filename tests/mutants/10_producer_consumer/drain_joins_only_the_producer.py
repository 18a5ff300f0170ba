"""drain_with_consumers: a sentinel per consumer after the items, but it joins only the producer and returns while consumers still work.

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
        for _ in range(n_consumers):
            q.put(stop)

    def consume():
        while True:
            item = q.get()
            if item is stop:
                return
            handle(item)
            with lock:
                handled.append(item)

    for _ in range(n_consumers):
        threading.Thread(target=consume).start()
    producer = threading.Thread(target=produce)
    producer.start()
    producer.join()  # "everything is on the queue, so we are done"
    return handled
