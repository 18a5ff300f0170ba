"""lockstep starts n new threads for every round and joins them (join as the barrier), so a tid's steps run in different threads.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    errors = []

    def run(tid, r):
        try:
            step(tid, r)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    for r in range(rounds):
        threads = [threading.Thread(target=run, args=(tid, r)) for tid in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
