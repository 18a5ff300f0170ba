"""greenlet_ping_pong has ping() call pong() and pong() call ping(): plain nested calls in the
caller's greenlet instead of two greenlets and switch().

Loses: greenlet_ping_pong
"""


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    words: list[str] = []

    def ping(i):
        if i == n:
            return
        words.append("ping")
        if on_turn is not None:
            on_turn("ping")
        pong(i)

    def pong(i):
        words.append("pong")
        if on_turn is not None:
            on_turn("pong")
        ping(i + 1)

    ping(0)
    return words
