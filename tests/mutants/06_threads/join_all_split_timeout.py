"""join_all splits the timeout evenly (timeout / len(threads) per join), so a thread that finishes within the timeout but after its share is reported as still alive.

Loses: join_all
"""


def join_all(threads, timeout):
    threads = list(threads)
    share = timeout / max(1, len(threads))
    for thread in threads:
        thread.join(share)
    return [thread.name for thread in threads if thread.is_alive()]
