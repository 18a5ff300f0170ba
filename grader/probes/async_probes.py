"""Probes for the asyncio topic (14_asyncio): bounded runs, a blocking-call guard, cancellation records.

* ``run_async(main, limit=...)`` runs ``main()`` (an ``async def`` taking no arguments) with
  ``asyncio.run`` in a helper thread. A coroutine that keeps awaiting past ``limit`` seconds is
  cancelled and the test fails with a clear message; a thread stuck in a blocking call is
  abandoned after ``limit`` + a few seconds (``call_with_timeout``). During the run,
  ``time.sleep`` raises ``BlockingCallError`` when called inside a running event loop (research
  E9: the blocking call is caught where it happens, not by its slowness), and a
  DeprecationWarning raised by the student's module is an error: on 3.10, passing coroutines to
  ``asyncio.wait`` only warns, where 3.11+ raises TypeError.
* ``CancelRecorder`` makes fetch functions that note whether they finished, failed or were
  cancelled, so a test can check right after the call returned that nothing was left running.
* ``leftover_tasks()`` lists the tasks of the running loop other than the current one.

asyncio tasks switch only at ``await``, so the in-flight counts of ``grader.probes.inflight``
are exact here: no timing margins are involved.
"""

from __future__ import annotations

import asyncio
import builtins
import time
import warnings
import weakref
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, Iterator

from grader.probes.student import call_with_timeout

_real_sleep = time.sleep
_harness: "weakref.WeakSet[asyncio.Task]" = weakref.WeakSet()  # run_async's own tasks


class BlockingCallError(AssertionError):
    """A blocking call ran inside a running event loop."""


class BoundExceeded(AssertionError):
    """The coroutine under test was still running when the test's own limit passed."""


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _guarded_sleep(seconds: float) -> None:
    if _in_running_loop():
        raise BlockingCallError(
            f"time.sleep({seconds!r}) was called inside a running event loop: it freezes every task "
            "for the whole delay. Use `await asyncio.sleep(...)` in coroutines"
        )
    _real_sleep(seconds)


@contextmanager
def no_blocking_sleep() -> Iterator[None]:
    """Within the block, ``time.sleep`` raises BlockingCallError when a loop runs in the caller's thread."""
    time.sleep = _guarded_sleep
    try:
        yield
    finally:
        time.sleep = _real_sleep


def run_async(main: Callable[[], Awaitable[Any]], *, limit: float = 3.0, student_module: str = "async_tasks",
              what: str = "the call") -> Any:
    """``asyncio.run(main())`` in a fresh loop, bounded by ``limit`` seconds; returns its result."""

    async def bounded() -> Any:
        _harness.add(asyncio.current_task())
        task = asyncio.ensure_future(main())
        done, _ = await asyncio.wait({task}, timeout=limit)
        if not done:
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
            raise BoundExceeded(
                f"{what} was still running after {limit:g} s (a correct solution takes a few "
                "milliseconds here): something waits that should not, or nothing was cancelled"
            )
        return task.result()

    def run() -> Any:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", category=DeprecationWarning, module=student_module)
            return asyncio.run(bounded())

    with no_blocking_sleep():
        return call_with_timeout(run, timeout=limit + 4.0)


def leftover_tasks() -> set[asyncio.Task]:
    """Tasks of the running loop that are not done, other than the current task and run_async's own."""
    current = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not current and t not in _harness and not t.done()}


class CancelRecorder:
    """Fetch functions that record what became of each call: ``finished``, ``failed`` or ``cancelled``."""

    def __init__(self) -> None:
        self.started: list[Any] = []
        self.outcome: dict[Any, str] = {}

    def make(self, behaviour: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
        """An async fetch(x) that awaits ``behaviour(x)`` and records how it ended."""

        async def fetch(x: Any) -> Any:
            self.started.append(x)
            try:
                value = await behaviour(x)
            except asyncio.CancelledError:
                self.outcome[x] = "cancelled"
                raise
            except BaseException:
                self.outcome[x] = "failed"
                raise
            self.outcome[x] = "finished"
            return value

        return fetch

    def not_cancelled(self, items) -> list[Any]:
        """Items among ``items`` that were started and have not (yet) recorded a cancellation."""
        return [x for x in items if x in self.started and self.outcome.get(x) != "cancelled"]


def contains(exc: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]) -> bool:
    """``exc`` is a ``kind``, or an exception group (3.11+) holding one, at any depth."""
    if isinstance(exc, kind):
        return True
    group = getattr(builtins, "BaseExceptionGroup", None)
    if group is not None and isinstance(exc, group):
        return any(contains(e, kind) for e in exc.exceptions)
    return False


#: what counts as a timeout: the built-in TimeoutError, and on 3.10 also asyncio's own class
TIMEOUT_ERRORS: tuple[type[BaseException], ...] = tuple({TimeoutError, asyncio.TimeoutError})
