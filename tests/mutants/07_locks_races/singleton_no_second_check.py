"""get_instance() checks _instance only before taking the lock, not again inside it.

Loses: get_instance
"""


def get_instance(factory):
    global _instance
    if _instance is None:
        with _instance_lock:
            _instance = factory()
    return _instance
