"""pipe_sum reads the answer from child_conn, the end it gave the child, instead of parent_conn.

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
    total = child_conn.recv()  # wrong end: this end is the child's, it receives what the parent sent
    proc.join()
    return total
