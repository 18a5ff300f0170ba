"""join_all gives every join() the full timeout, so n stuck threads take n times the timeout.

Loses: join_all
"""


def join_all(threads, timeout):
    for thread in threads:
        thread.join(timeout)
    return [thread.name for thread in threads if thread.is_alive()]
