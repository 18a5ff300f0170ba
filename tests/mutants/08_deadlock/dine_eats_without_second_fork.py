"""philosophers take the second fork with a timeout but eat even when that acquire failed, without holding it.

Loses: dine
"""


def philosopher(i, forks, meals, eat):
    first, second = forks[i], forks[(i + 1) % len(forks)]
    for _ in range(meals):
        with first:
            got = second.acquire(timeout=0.5)
            try:
                eat(i)
            finally:
                if got:
                    second.release()
