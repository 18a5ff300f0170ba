"""The one scheduler of topic jobs, used by ``grade``, ``batch`` and ``validate``.

Manifests of every hidden-test file involved are listed first, in one pytest start-up, and the
course is checked against them (``grader.grading.lint``: a ``CourseError`` before any student code
runs); then the units run in a pool of ``jobs`` threads (each unit's work is a sandboxed subprocess), the longest
topics first (``grader.grading.durations``) so that the last one does not run alone while cores
idle. Results come back in the order the units were given.

An interrupt (Ctrl-C, or SIGTERM turned into one by the CLI) stops everything at once: every
running sandbox kills its tree (``grader.sandbox.base.stop_all``), the units not started are
dropped, the running ones end within moments, and ``Interrupted`` carries what had finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from grader.grading import durations, lint
from grader.sandbox.base import Interrupted, stop_all

if TYPE_CHECKING:
    from grader.grading.grader import Grader

R = TypeVar("R")
STOP_WAIT = 5.0
"""Seconds an interrupt waits for the running units to notice that their sandboxes were killed
(they do within a fraction of a second; this only bounds a unit stuck outside any sandbox)."""


@dataclass(frozen=True)
class Unit(Generic[R]):
    topic_id: str
    call: Callable[[], R]
    group: int = 0
    """Units of a lower group start first whatever their length (batch: one group per student,
    so students finish, and are written, in order)."""


def order(units: Sequence[Unit[R]], seconds: dict[str, float]) -> list[int]:
    """Indices of ``units`` in the order they start: by group, then the longest topic first
    (unknown topics count as long: better started early), then as given."""
    longest = max(seconds.values(), default=0.0)
    return sorted(range(len(units)),
                  key=lambda i: (units[i].group, -seconds.get(units[i].topic_id, longest + 1.0), i))


def run(grader: Grader, units: Sequence[Unit[R]], work: Path, *, hidden: bool = True,
        on_done: Callable[[int, R], None] | None = None) -> list[R]:
    """Run every unit; ``on_done(index, result)`` as each finishes (under a lock)."""
    course = grader.course
    if hidden and units:
        test_files = [course.hidden_tests(course.topic(u.topic_id)).resolve() for u in units]
        try:
            grader.manifests.prefetch(list(dict.fromkeys(test_files)), work)
        except KeyboardInterrupt:
            stop_all()
            raise Interrupted("nothing was graded yet (the hidden tests were being listed)") from None
        lint.check(course, [course.topic(u.topic_id) for u in units],
                   lambda topic: grader.manifests.get(course.hidden_tests(topic).resolve(), work))
    results: dict[int, R] = {}
    lock = threading.Lock()

    def call(index: int) -> None:
        result = units[index].call()
        with lock:
            results[index] = result
            if on_done is not None:
                on_done(index, result)

    starting = order(units, durations.load(course.durations_file))
    if units:
        _run_pool(units, starting, min(grader.jobs, len(units)), call, results)
    return [results[i] for i in range(len(units))]


def _run_pool(units: Sequence[Unit[R]], starting: list[int], jobs: int, call: Callable[[int], None],
              results: dict[int, R]) -> None:
    pool = ThreadPoolExecutor(max_workers=jobs)
    futures = [pool.submit(call, i) for i in starting]
    try:
        for future in futures:
            future.result()
    except KeyboardInterrupt as exc:
        stop_all()
        pool.shutdown(wait=False, cancel_futures=True)
        wait_for(futures, timeout=STOP_WAIT)
        summary = exc.summary if isinstance(exc, Interrupted) and exc.summary else \
            f"{len(results)} of {len(units)} topic run(s) had finished"
        raise Interrupted(summary, results) from None
    pool.shutdown()
