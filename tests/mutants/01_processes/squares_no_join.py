"""run_squares drains every result but never joins the processes (they are left to exit on their own).

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    squares = [queue.get(timeout=TIMEOUT) for _ in procs]
    return sorted(squares)
