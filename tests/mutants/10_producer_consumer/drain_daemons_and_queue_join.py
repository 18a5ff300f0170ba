"""drain_with_consumers: daemon consumers with task_done(), q.join(), no sentinels: returns with every consumer still waiting in get().

Loses: drain_with_consumers
"""

import queue
import threading


def drain_with_consumers(items, handle, n_consumers=3) -> list:
    q = queue.Queue()
    handled = []
    lock = threading.Lock()

    def consume():
        while True:
            item = q.get()
            try:
                handle(item)
                with lock:
                    handled.append(item)
            finally:
                q.task_done()

    for _ in range(n_consumers):
        threading.Thread(target=consume, daemon=True).start()
    producer = threading.Thread(target=lambda: [q.put(item) for item in items])
    producer.start()
    producer.join()
    q.join()  # every item handled; the daemon consumers die with the interpreter
    return handled
