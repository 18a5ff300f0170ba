"""lockstep re-raises the LAST exception recorded (errors[-1]) instead of the first.

Loses: lockstep
"""


def lockstep(n, rounds, step):
    barrier = threading.Barrier(n)
    errors = []
    threads = [threading.Thread(target=lockstep_worker, args=(tid, rounds, step, barrier, errors)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[-1]
