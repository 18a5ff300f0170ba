"""pipe_sum sends the whole list in one send() (and the child sums the list) instead of one number per send.

Loses: pipe_sum
"""

import multiprocessing


def add_up(conn) -> None:
    total = 0
    while True:
        chunk = conn.recv()
        if chunk is None:
            break
        total += sum(chunk)
    conn.send(total)
    conn.close()


def pipe_sum(numbers, ctx=None) -> int:
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=add_up, args=(child_conn,))
    proc.start()
    child_conn.close()
    parent_conn.send(list(numbers))
    parent_conn.send(None)
    if not parent_conn.poll(TIMEOUT):
        raise TimeoutError("no sum")
    total = parent_conn.recv()
    proc.join()
    return total
