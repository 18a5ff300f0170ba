"""shared_counter starts each process and joins it before starting the next: never two at once.

Loses: shared_counter
"""

import multiprocessing


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    counter = ctx.Value("i", 0)
    for _ in range(n_procs):
        proc = ctx.Process(target=increment, args=(counter, n_incr))
        proc.start()
        proc.join()
    return counter.value
