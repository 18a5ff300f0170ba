"""shared_counter makes its Value and processes from the multiprocessing module, not from the ctx it
was given: the caller's start method is ignored.

Loses: shared_counter
"""

import multiprocessing


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    counter = multiprocessing.Value("i", 0)
    procs = [multiprocessing.Process(target=increment, args=(counter, n_incr)) for _ in range(n_procs)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return counter.value
