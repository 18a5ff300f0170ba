"""greenlet_ping_pong runs ping and pong in two threads that hand the turn over with Events:
threads dressed as greenlets (each thread has its own main greenlet, so getcurrent() differs).

Loses: greenlet_ping_pong
"""

import threading


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []
    ping_turn = threading.Event()
    pong_turn = threading.Event()

    def player(word, mine, other):
        for _ in range(n):
            mine.wait()
            mine.clear()
            words.append(word)
            if on_turn is not None:
                on_turn(word)
            other.set()

    threads = [
        threading.Thread(target=player, args=("ping", ping_turn, pong_turn)),
        threading.Thread(target=player, args=("pong", pong_turn, ping_turn)),
    ]
    for thread in threads:
        thread.start()
    ping_turn.set()
    for thread in threads:
        thread.join()
    return words
