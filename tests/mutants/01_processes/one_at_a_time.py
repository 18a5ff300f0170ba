"""run_squares starts, reads and joins each process in turn, so they never run at the same time.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    squares = []
    for proc in procs:
        proc.start()
        squares.append(queue.get(timeout=TIMEOUT))
        proc.join()
    return sorted(squares)
