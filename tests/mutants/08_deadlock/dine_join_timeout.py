"""dine joins each philosopher with a fixed timeout (2 s), so with slow meals it returns before everyone has eaten.

Loses: dine
"""

import threading


def dine(forks, meals, eat):
    threads = [threading.Thread(target=philosopher, args=(i, forks, meals, eat), daemon=True)
               for i in range(len(forks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(2)
