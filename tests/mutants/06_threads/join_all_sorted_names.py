"""join_all returns the names of the threads still alive sorted alphabetically, not in the order of threads.

Loses: join_all
"""

import time


def join_all(threads, timeout):
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sorted(thread.name for thread in threads if thread.is_alive())
