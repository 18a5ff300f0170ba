"""get_instance() takes the lock on every call (no lock-free fast path once the instance exists).

Loses: get_instance
"""


def get_instance(factory):
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = factory()
        return _instance
