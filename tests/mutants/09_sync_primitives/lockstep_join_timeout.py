"""lockstep joins each thread with a fixed timeout, so it returns while slow steps are still running.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    barrier = threading.Barrier(n)
    errors = []
    threads = [threading.Thread(target=lockstep_worker, args=(tid, rounds, step, barrier, errors)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1.0)  # "never hang"
    if errors:
        raise errors[0]
