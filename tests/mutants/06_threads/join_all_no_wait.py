"""join_all only looks at is_alive() and never waits for the threads.

Loses: join_all
"""


def join_all(threads, timeout):
    return [thread.name for thread in threads if thread.is_alive()]
