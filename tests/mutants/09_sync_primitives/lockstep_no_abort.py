"""lockstep does not abort the barrier when a step raises, so the other threads wait at it forever.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    barrier = threading.Barrier(n)

    def work(tid):
        for r in range(rounds):
            step(tid, r)
            barrier.wait()

    threads = [threading.Thread(target=work, args=(tid,)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
