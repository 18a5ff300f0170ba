"""round_robin runs each task to its end before starting the next one.

Loses: round_robin
"""


def round_robin(*tasks) -> list:
    produced = []
    for task in tasks:
        for value in task:
            produced.append(value)
    return produced
