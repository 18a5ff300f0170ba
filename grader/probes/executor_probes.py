"""Probes for the executor topics (10_producer_consumer, 11_gil, 15_capstone).

* ``Gate`` holds every call of a wrapped function until ``release()``, counting the calls in
  flight (an ``InFlight``), so a test can wait until exactly n calls run at once, give extra
  workers time to show up, and read the peak, with no wall-clock assertion.
* ``executor_spy`` records, at class level, every ThreadPoolExecutor / ProcessPoolExecutor created
  (max_workers, start method of its mp_context) and whether it was shut down.
* ``tracked_queues`` records every ``queue.Queue`` created, so a test can unblock consumer
  threads a wrong solution left waiting for a sentinel (``unblock``).
* ``new_threads`` lists threads started since a snapshot and still alive.

Everything here runs in the test process only (no child imports it), but it is shared by three
topics, so it lives here rather than in one hidden test file.
"""

from __future__ import annotations

import concurrent.futures.process
import concurrent.futures.thread
import queue
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from grader.probes.inflight import InFlight
from grader.probes.student import wait_until  # noqa: F401 - re-exported for the hidden tests


class Gate:
    """Wrap functions so each call waits for ``release()`` (at most ``hold`` s), counted in flight."""

    def __init__(self, hold: float = 5.0) -> None:
        self.inflight = InFlight()
        self.hold = hold
        self._open = threading.Event()

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def gated(*args: Any, **kwargs: Any) -> Any:
            self.inflight.enter()
            try:
                self._open.wait(self.hold)
                return fn(*args, **kwargs)
            finally:
                self.inflight.leave()

        gated.__name__ = getattr(fn, "__name__", "gated")
        return gated

    def wait_in_flight(self, n: int, timeout: float) -> bool:
        """True once at least ``n`` calls are in flight together; False after ``timeout`` s."""
        return wait_until(lambda: self.inflight.now >= n, timeout)

    def release(self) -> None:
        self._open.set()

    @property
    def peak(self) -> int:
        return self.inflight.peak


@dataclass
class ExecutorRecord:
    kind: str  # "thread" or "process"
    max_workers: int
    start_method: str | None
    shutdowns: list[bool] = field(default_factory=list)  # the wait= argument of each shutdown()


@dataclass
class ExecutorSpy:
    records: list[ExecutorRecord] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ExecutorRecord]:
        return [r for r in self.records if r.kind == kind]


@contextmanager
def executor_spy() -> Iterator[ExecutorSpy]:
    """Record every executor created inside the block (class-level, whatever the import style)."""
    spy = ExecutorSpy()
    classes = {
        "thread": concurrent.futures.thread.ThreadPoolExecutor,
        "process": concurrent.futures.process.ProcessPoolExecutor,
    }
    originals = {kind: (cls.__init__, cls.shutdown) for kind, cls in classes.items()}

    def make(kind: str):
        original_init, original_shutdown = originals[kind]

        def init(self, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            context = getattr(self, "_mp_context", None)
            record = ExecutorRecord(kind, self._max_workers, context.get_start_method() if context else None)
            self.__dict__["_grader_record"] = record
            spy.records.append(record)

        def shutdown(self, wait: bool = True, *args: Any, **kwargs: Any) -> None:
            record = self.__dict__.get("_grader_record")
            if record is not None:
                record.shutdowns.append(bool(wait))
            return original_shutdown(self, wait, *args, **kwargs)

        return init, shutdown

    for kind, cls in classes.items():
        cls.__init__, cls.shutdown = make(kind)
    try:
        yield spy
    finally:
        for kind, cls in classes.items():
            cls.__init__, cls.shutdown = originals[kind]


@contextmanager
def tracked_queues() -> Iterator[list]:
    """Yield a list that fills with every ``queue.Queue`` (or subclass) created inside the block."""
    created: list[weakref.ref] = []
    original = queue.Queue.__init__

    def init(self, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        created.append(weakref.ref(self))

    queue.Queue.__init__ = init
    try:
        yield created
    finally:
        queue.Queue.__init__ = original


def unblock(created: list, sentinels: int, sentinel: Any = None) -> None:
    """Put ``sentinels`` more sentinels into every tracked queue (never blocking)."""
    for ref in created:
        q = ref()
        if q is None:
            continue
        for _ in range(sentinels):
            try:
                q.put_nowait(sentinel)
            except queue.Full:
                break


def thread_snapshot() -> set[threading.Thread]:
    return set(threading.enumerate())


def new_threads(before: set[threading.Thread], ignore: tuple[threading.Thread, ...] = ()) -> list[threading.Thread]:
    """Threads alive now that were not alive at the snapshot ``before`` (minus ``ignore``)."""
    return [t for t in threading.enumerate() if t not in before and t not in ignore and t.is_alive()]
