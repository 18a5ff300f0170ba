"""greenlet_ping_pong's pong greenlet switches back to the caller instead of to the ping greenlet,
so the game stops after the first round.

Loses: greenlet_ping_pong
"""

from greenlet import getcurrent, greenlet


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []
    caller = getcurrent()

    def ping():
        for _ in range(n):
            words.append("ping")
            if on_turn is not None:
                on_turn("ping")
            pong_greenlet.switch()

    def pong():
        for _ in range(n):
            words.append("pong")
            if on_turn is not None:
                on_turn("pong")
            caller.switch()

    ping_greenlet = greenlet(ping)
    pong_greenlet = greenlet(pong)
    ping_greenlet.switch()
    return words
