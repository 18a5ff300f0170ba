"""greenlet_ping_pong creates a fresh greenlet for every turn and switches to it from the caller:
2n short-lived greenlets instead of two that switch to each other.

Loses: greenlet_ping_pong
"""

from greenlet import greenlet


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []

    def play(word):
        words.append(word)
        if on_turn is not None:
            on_turn(word)

    for _ in range(n):
        greenlet(play).switch("ping")
        greenlet(play).switch("pong")
    return words
