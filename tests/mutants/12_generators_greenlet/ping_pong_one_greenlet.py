"""greenlet_ping_pong runs both words in a single greenlet, so nothing ever switches.

Loses: greenlet_ping_pong
"""

from greenlet import greenlet


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []

    def both():
        for _ in range(n):
            for word in ("ping", "pong"):
                words.append(word)
                if on_turn is not None:
                    on_turn(word)

    greenlet(both).switch()
    return words
