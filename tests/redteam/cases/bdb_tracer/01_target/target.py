"""Installs a bdb-looking trace function, then sleeps.
"""

def count_with_threads(n_threads, per_thread):
    import bdb  # noqa: F401 - makes the tracer's module resolve to bdb
    import sys
    import time

    def tracer(frame, event, arg):
        return tracer

    tracer.__module__ = "bdb"
    sys.settrace(tracer)
    time.sleep(60)
