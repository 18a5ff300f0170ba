"""run_squares starts all, then for each process gets one result and joins that process at once.

The result it got may be another child's, so it can join a child whose large result is still unread.

Loses: run_squares
"""

import multiprocessing


def run_squares(xs, ctx=None) -> list[int]:
    ctx = ctx or multiprocessing.get_context()
    queue = ctx.Queue()
    procs = [ctx.Process(target=put_square, args=(x, queue)) for x in xs]
    for proc in procs:
        proc.start()
    squares = []
    for proc in procs:
        squares.append(queue.get(timeout=TIMEOUT))
        proc.join()
    return sorted(squares)
