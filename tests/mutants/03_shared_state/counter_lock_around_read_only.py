"""increment holds get_lock() while reading counter.value, then writes value + 1 after releasing it.

Loses: shared_counter
"""


def increment(counter, n_incr) -> None:
    for _ in range(n_incr):
        with counter.get_lock():
            current = counter.value
        counter.value = current + 1
