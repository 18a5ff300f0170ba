"""dine starts each philosopher thread and joins it before starting the next, so philosophers never eat at the same time.

Loses: dine
"""

import threading


def dine(forks, meals, eat):
    for i in range(len(forks)):
        thread = threading.Thread(target=philosopher, args=(i, forks, meals, eat))
        thread.start()
        thread.join()
