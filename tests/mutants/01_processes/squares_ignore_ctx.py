"""run_squares overwrites ctx with multiprocessing.get_context(): the caller's start method is ignored.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    squares = [queue.get(timeout=TIMEOUT) for _ in procs]
    for proc in procs:
        proc.join()
    return sorted(squares)
