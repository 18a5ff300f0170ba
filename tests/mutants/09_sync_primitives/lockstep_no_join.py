"""lockstep starts the threads and returns without joining them.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    barrier = threading.Barrier(n)
    errors = []
    for tid in range(n):
        threading.Thread(target=lockstep_worker, args=(tid, rounds, step, barrier, errors)).start()
