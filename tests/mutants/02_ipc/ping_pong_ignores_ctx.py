"""ping_pong ignores ctx: multiprocessing.Pipe/Process always use the default start method.

Loses: ping_pong
"""

import multiprocessing


def ping_pong(rounds, ctx=None) -> list[str]:
    parent_conn, child_conn = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=pong, args=(child_conn, rounds))
    proc.start()
    child_conn.close()
    transcript = []
    for _ in range(rounds):
        parent_conn.send("ping")
        transcript.append("ping")
        if not parent_conn.poll(TIMEOUT):
            raise TimeoutError("no answer")
        transcript.append(parent_conn.recv())
    proc.join()
    return transcript
