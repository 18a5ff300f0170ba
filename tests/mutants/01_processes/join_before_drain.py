"""run_squares joins every process before draining the queue: a large result deadlocks.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    squares = [queue.get(timeout=TIMEOUT) for _ in procs]
    return sorted(squares)
