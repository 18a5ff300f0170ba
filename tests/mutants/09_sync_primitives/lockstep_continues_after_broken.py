"""lockstep's threads ignore BrokenBarrierError and go on with the next rounds after a step failed, unsynchronised.

Loses: lockstep
"""

import threading


def lockstep_worker(tid, rounds, step, barrier, errors):
    for r in range(rounds):
        try:
            step(tid, r)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
            barrier.abort()
            return
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # "someone else failed, keep going"
