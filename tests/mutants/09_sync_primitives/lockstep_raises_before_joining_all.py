"""lockstep re-raises a step's error as soon as the first joined thread shows it, leaving the other threads running.

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
        thread.join()
        if errors:
            raise errors[0]
