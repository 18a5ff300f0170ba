"""Picklable worker functions for hidden tests (module level, so every start method can use them).

Bind extra arguments with ``functools.partial``; a partial of a module-level function pickles
under spawn and forkserver, a lambda or closure does not.
"""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    return x * x


def square_with_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def fail_on(bad: int, x: int) -> int:
    """Square ``x``, but raise ValueError for the item ``bad``."""
    if x == bad:
        raise ValueError(f"bad item {x}")
    return x * x


def sleep_then_square(seconds: float, x: int) -> int:
    time.sleep(seconds)
    return x * x


def rendezvous(barrier, timeout: float, x: int) -> int:
    """Wait until every task of the batch is in flight at once, then square ``x``.

    Passes in milliseconds when the tasks overlap; a caller that waits for each result before
    submitting the next leaves one task alone at the barrier, which breaks after ``timeout``.
    """
    barrier.wait(timeout)
    return x * x


def wait_for_event(event, timeout: float, last: int, x: int):
    """For the item ``last``, return whether ``event`` was set within ``timeout``; else square."""
    if x == last:
        return event.wait(timeout)
    return x * x
