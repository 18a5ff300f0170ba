"""Keeps going whatever is raised.
"""

def count_with_threads(n_threads, per_thread):
    import time
    while True:
        try:
            time.sleep(0.05)
        except BaseException:
            pass
