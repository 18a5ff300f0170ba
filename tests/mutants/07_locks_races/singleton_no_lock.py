"""get_instance() checks and creates without any lock.

Loses: get_instance
"""


def get_instance(factory):
    global _instance
    if _instance is None:
        _instance = factory()
    return _instance
