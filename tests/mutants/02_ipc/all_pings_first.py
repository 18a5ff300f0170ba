"""ping_pong sends every ping first and only then reads the pongs: no turn-taking.

Loses: ping_pong
"""

import multiprocessing


def ping_pong(rounds, ctx=None) -> list[str]:
    ctx = ctx or multiprocessing.get_context()
    parent_conn, child_conn = ctx.Pipe()
    proc = ctx.Process(target=pong, args=(child_conn, rounds))
    proc.start()
    for _ in range(rounds):
        parent_conn.send("ping")
    replies = [parent_conn.recv() for _ in range(rounds)]
    proc.join()
    transcript = []
    for reply in replies:
        transcript += ["ping", reply]
    return transcript
