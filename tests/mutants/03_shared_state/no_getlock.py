"""increment does counter.value += 1 without get_lock(): the read and the write are locked separately.

Loses: shared_counter
"""


def increment(counter, n_incr) -> None:
    for _ in range(n_incr):
        counter.value += 1  # "Value is synchronized" - but only each get and each set on its own
