"""ping_pong uses Pipe(duplex=False): the end the child gets can only receive, so it cannot answer.

Loses: ping_pong
"""

import multiprocessing


def ping_pong(rounds, ctx=None) -> list[str]:
    ctx = ctx or multiprocessing.get_context()
    child_conn, parent_conn = ctx.Pipe(duplex=False)  # (receive-only end, send-only end)
    proc = ctx.Process(target=pong, args=(child_conn, rounds))
    proc.start()
    transcript = []
    for _ in range(rounds):
        parent_conn.send("ping")
        transcript.append("ping")
        transcript.append(parent_conn.recv())
    proc.join()
    return transcript
