"""run_squares joins each process right after starting it: serial, and a large result deadlocks.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
        proc.join()
    squares = [queue.get(timeout=TIMEOUT) for _ in procs]
    return sorted(squares)
