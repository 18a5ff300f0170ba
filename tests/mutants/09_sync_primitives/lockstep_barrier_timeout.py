"""lockstep gives the Barrier a fixed timeout instead of aborting it, so a step slower than the timeout breaks the barrier and the remaining rounds are silently skipped.

Loses: lockstep
"""

import threading


def lockstep(n, rounds, step):
    barrier = threading.Barrier(n, timeout=1.0)  # "so nobody waits forever"
    errors = []

    def worker(tid):
        try:
            for r in range(rounds):
                step(tid, r)
                barrier.wait()
        except threading.BrokenBarrierError:
            return
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(tid,)) for tid in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
