"""run_squares drains with get() and no timeout: one child that dies hangs the caller forever.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    squares = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    return sorted(squares)
