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


def finish_first_last(event, timeout: float, delay: float, x: int) -> int:
    """Square ``x``; the task for item 0 finishes only after another task has finished.

    Every other item sets ``event`` and returns at once; item 0 waits for ``event`` (at most
    ``timeout``), then ``delay`` seconds more. So item 0's result reaches the parent after some
    other item's result: a consumer that reports results in completion order
    (``imap_unordered``) reports another item first, one that uses ``imap`` reports item 0 first.
    """
    if x == 0:
        event.wait(timeout)
        time.sleep(delay)
    else:
        event.set()
    return x * x


def fail_first_last(event, timeout: float, delay: float, x: int) -> int:
    """Raise ``ValueError(f"bad item {x}")`` for every item; item 0 fails only after another has.

    Like ``finish_first_last``, with failures: every other item sets ``event`` and raises at once;
    item 0 waits for ``event`` (at most ``timeout``) and ``delay`` seconds more, then raises. So
    the first failure in input order (item 0) is the last one to arrive in the parent.
    """
    if x == 0:
        event.wait(timeout)
        time.sleep(delay)
    else:
        event.set()
    raise ValueError(f"bad item {x}")
