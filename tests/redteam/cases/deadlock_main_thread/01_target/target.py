"""count_with_threads() takes its lock twice.
"""

def count_with_threads(n_threads, per_thread):
    lock = threading.Lock()
    with lock:
        lock.acquire()
    return n_threads * per_thread
