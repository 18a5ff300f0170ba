"""get_instance() uses _instance_lock.acquire()/release() without try/finally, so a factory that raises leaves the lock held and the next call hangs.

Loses: get_instance
"""


def get_instance(factory):
    global _instance
    if _instance is None:
        _instance_lock.acquire()
        if _instance is None:
            _instance = factory()
        _instance_lock.release()
    return _instance
