"""lockstep runs the threads without a barrier, so fast threads race ahead into later rounds.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    def work(tid):
        for r in range(rounds):
            step(tid, r)

    threads = [threading.Thread(target=work, args=(tid,)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
