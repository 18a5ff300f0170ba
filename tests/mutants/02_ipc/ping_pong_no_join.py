"""ping_pong returns after the last pong without joining the child process.

Loses: ping_pong
"""

import multiprocessing


def ping_pong(rounds, ctx=None) -> list[str]:
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=pong, args=(child_conn, rounds))
    proc.start()
    child_conn.close()
    transcript = []
    for _ in range(rounds):
        parent_conn.send("ping")
        transcript.append("ping")
        if not parent_conn.poll(TIMEOUT):
            raise TimeoutError("no answer")
        transcript.append(parent_conn.recv())
    return transcript
