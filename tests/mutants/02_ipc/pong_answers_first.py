"""pong sends 'pong' before it receives the 'ping' (send, then recv): the child does not wait its turn.

Loses: ping_pong
"""


def pong(conn, rounds) -> None:
    for _ in range(rounds):
        conn.send("pong")
        conn.recv()
    conn.close()
