"""Starts threads until it cannot, in count_with_threads.
"""

def count_with_threads(n_threads, per_thread):
    import time
    started = 0
    try:
        while started < 100_000:
            threading.Thread(target=time.sleep, args=(1,), daemon=True).start()
            started += 1
    finally:
        time.sleep(1.5)  # let them end, so the next tests can start threads again
    return started
