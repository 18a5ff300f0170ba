"""Probes for the threading topics (06_threads, 07_locks_races, 09_sync_primitives).

They observe threads instead of timing them: whether a thread is blocked inside a threading
wait (not polling with sleep), how many threads wait on a Condition, which exceptions escaped
a thread, and a clean-up for Barriers that a wrong solution left threads stuck on.
"""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any, Callable

_THREADING_FILE = threading.__file__

# The race amplifier lives in grader.probes.amplify; re-exported for the threading topics.
from grader.probes.amplify import amplified  # noqa: F401
from grader.probes.student import wait_until  # noqa: F401 - re-exported for the hidden tests

_WAITS = frozenset({"wait", "wait_for"})


def is_blocked_in_wait(thread: threading.Thread) -> bool:
    """True when ``thread`` is inside ``Event.wait``/``Condition.wait``/``wait_for`` right now.

    Frames only exist for Python code: ``time.sleep`` leaves the caller's frame on top, so a
    thread that polls with sleep is never seen here, while one blocked in ``Event.wait`` is.
    """
    frame = sys._current_frames().get(thread.ident) if thread.ident is not None else None
    while frame is not None:
        code = frame.f_code
        if code.co_name in _WAITS and code.co_filename == _THREADING_FILE:
            return True
        frame = frame.f_back
    return False


def waiters(cond: Any) -> int:
    """How many threads are waiting on the ``threading.Condition`` ``cond`` (0 if it is not one)."""
    return len(getattr(cond, "_waiters", ()))


class ThreadErrors:
    """Within ``with ThreadErrors() as errors:``, exceptions that escape threads are collected.

    ``errors.caught`` lists ``(thread name, exception)``; nothing is printed. The previous
    ``threading.excepthook`` (pytest's) is restored on exit.
    """

    def __init__(self) -> None:
        self.caught: list[tuple[str, BaseException]] = []
        self._lock = threading.Lock()
        self._previous: Any = None

    def _hook(self, args: Any) -> None:
        with self._lock:
            name = args.thread.name if args.thread is not None else "?"
            self.caught.append((name, args.exc_value))

    def __enter__(self) -> "ThreadErrors":
        self._previous = threading.excepthook
        threading.excepthook = self._hook
        return self

    def __exit__(self, *exc: object) -> None:
        threading.excepthook = self._previous

    def describe(self) -> str:
        return "; ".join(f"{type(e).__name__}: {e} (in thread {name})" for name, e in self.caught)


def abort_stuck_barriers() -> int:
    """Abort every ``threading.Barrier`` that threads are waiting on; return how many.

    A wrong solution can leave non-daemon threads waiting on a barrier forever, which would
    hang the test process at exit; aborting wakes them with BrokenBarrierError.
    """
    stuck = [obj for obj in gc.get_objects() if isinstance(obj, threading.Barrier) and obj.n_waiting > 0]
    for barrier in stuck:
        barrier.abort()
    return len(stuck)
