"""lockstep aborts the barrier when a step fails but never re-raises the error, so the failure goes unnoticed.

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
