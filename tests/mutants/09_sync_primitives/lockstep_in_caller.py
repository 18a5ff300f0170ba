"""lockstep calls every step itself, round by round, in the calling thread (no threads at all).

Loses: lockstep
"""


def lockstep(n, rounds, step):
    for r in range(rounds):
        for tid in range(n):
            step(tid, r)
