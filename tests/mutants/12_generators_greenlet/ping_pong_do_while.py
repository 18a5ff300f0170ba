"""greenlet_ping_pong appends first and checks the count afterwards (a do-while loop), so n == 0
still gives ["ping", "pong"].

Loses: greenlet_ping_pong
"""

from greenlet import greenlet


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []

    def ping():
        while True:
            words.append("ping")
            if on_turn is not None:
                on_turn("ping")
            pong_greenlet.switch()
            if words.count("ping") >= n:
                return

    def pong():
        while True:
            words.append("pong")
            if on_turn is not None:
                on_turn("pong")
            ping_greenlet.switch()

    ping_greenlet = greenlet(ping)
    pong_greenlet = greenlet(pong)
    ping_greenlet.switch()
    return words
