"""join_all calls join() without a timeout, so one stuck thread blocks it forever.

Loses: join_all
"""


def join_all(threads, timeout):
    for thread in threads:
        thread.join()
    return [thread.name for thread in threads if thread.is_alive()]
