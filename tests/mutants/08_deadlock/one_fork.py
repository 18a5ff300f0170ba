"""each philosopher holds only its lower-numbered fork while eating.

Loses: dine
"""


def philosopher(i: int, forks: list, meals: int, eat) -> None:
    left, right = i, (i + 1) % len(forks)
    fork = forks[min(left, right)]
    for _ in range(meals):
        with fork:
            eat(i)
