"""shared_counter passes a plain int: each child increments its own copy and the parent gets 0.

Loses: shared_counter
"""

import multiprocessing


def increment(counter, n_incr) -> None:
    for _ in range(n_incr):
        counter += 1


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    counter = 0
    procs = [ctx.Process(target=increment, args=(counter, n_incr)) for _ in range(n_procs)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(TIMEOUT)
    return counter
