"""pipe_sum keeps its copy of child_conn open and recv()s with no poll: if the child dies, it waits forever.

Loses: pipe_sum
"""

import multiprocessing


def pipe_sum(numbers, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=add_up, args=(child_conn,))
    proc.start()
    for number in numbers:
        parent_conn.send(number)
    parent_conn.send(None)
    total = parent_conn.recv()
    proc.join()
    return total
