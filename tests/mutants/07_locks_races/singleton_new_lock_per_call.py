"""get_instance() double-checks under `with threading.Lock():`, a new lock on every call, which excludes no other thread.

Loses: get_instance
"""

import threading


def get_instance(factory):
    global _instance
    if _instance is None:
        with threading.Lock():
            if _instance is None:
                _instance = factory()
    return _instance
