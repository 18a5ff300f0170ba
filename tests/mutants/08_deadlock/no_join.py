"""dine starts the philosopher threads but returns without joining them.

Loses: dine
"""

import threading


def dine(forks: list, meals: int, eat) -> None:
    threads = [
        threading.Thread(target=philosopher, args=(i, forks, meals, eat), name=f"philosopher-{i}")
        for i in range(len(forks))
    ]
    for thread in threads:
        thread.start()
