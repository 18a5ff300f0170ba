"""drain_with_consumers: correct sentinels, but always 3 consumer threads, whatever n_consumers says.

Loses: drain_with_consumers
"""

import queue
import threading


def drain_with_consumers(items, handle, n_consumers=3) -> list:
    q = queue.Queue()
    handled = []
    lock = threading.Lock()
    stop = object()
    n = 3

    def produce():
        try:
            for item in items:
                q.put(item)
        finally:
            for _ in range(n):
                q.put(stop)

    def consume():
        while True:
            item = q.get()
            if item is stop:
                return
            handle(item)
            with lock:
                handled.append(item)

    consumers = [threading.Thread(target=consume) for _ in range(n)]
    producer = threading.Thread(target=produce)
    for thread in consumers:
        thread.start()
    producer.start()
    for thread in consumers:
        thread.join()
    producer.join()
    return handled
