"""shared_counter joins each process with a fixed 0.2 s timeout and reads the value even if they still run.

Loses: shared_counter
"""

import multiprocessing


def shared_counter(n_procs, n_incr, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    counter = ctx.Value("i", 0)
    procs = [ctx.Process(target=increment, args=(counter, n_incr)) for _ in range(n_procs)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(0.2)
    return counter.value
