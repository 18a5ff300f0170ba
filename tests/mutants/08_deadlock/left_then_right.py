"""every philosopher takes the left fork and then the right one: with all left forks taken, everyone waits forever.

Loses: dine
"""


def philosopher(i: int, forks: list, meals: int, eat) -> None:
    left, right = forks[i], forks[(i + 1) % len(forks)]
    for _ in range(meals):
        with left:
            with right:
                eat(i)
