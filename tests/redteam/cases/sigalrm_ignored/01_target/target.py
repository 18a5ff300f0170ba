"""Ignores the alarm signal, then sleeps.
"""

def count_with_threads(n_threads, per_thread):
    import signal
    import time
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(60)
