"""lockstep creates a new Barrier(n) inside each thread, so every thread waits alone at its own barrier forever.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    def work(tid):
        barrier = threading.Barrier(n)
        for r in range(rounds):
            step(tid, r)
            barrier.wait()

    threads = [threading.Thread(target=work, args=(tid,)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
