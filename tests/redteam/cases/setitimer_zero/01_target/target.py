"""Cancels the alarm, then sleeps.
"""

def count_with_threads(n_threads, per_thread):
    import signal
    import time
    signal.setitimer(signal.ITIMER_REAL, 0)
    time.sleep(60)
