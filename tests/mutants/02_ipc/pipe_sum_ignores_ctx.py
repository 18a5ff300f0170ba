"""pipe_sum ignores ctx: it uses multiprocessing.Pipe/Process, i.e. always the default start method.

Loses: pipe_sum
"""

import multiprocessing


def pipe_sum(numbers, ctx=None) -> int:
    parent_conn, child_conn = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=add_up, args=(child_conn,))
    proc.start()
    child_conn.close()
    for number in numbers:
        parent_conn.send(number)
    parent_conn.send(None)
    if not parent_conn.poll(TIMEOUT):
        raise TimeoutError("no sum")
    total = parent_conn.recv()
    proc.join()
    return total
