"""round_robin removes a finished task from the list it is looping over, which skips the next
task's turn in that round.

Loses: round_robin
"""


def round_robin(*tasks) -> list:
    running = list(tasks)
    produced = []
    while running:
        for task in running:
            try:
                produced.append(next(task))
            except StopIteration:
                running.remove(task)
    return produced
