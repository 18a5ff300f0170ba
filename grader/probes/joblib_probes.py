"""Probes for 04_pool's ``joblib_map``: tasks that say where they ran, meet at a barrier, finish in a
chosen order or count the calls in flight, and the clean-up of joblib's reusable worker processes.

* ``caller()`` marks the thread that calls ``joblib_map``; a probe task called in that very thread
  raises ``RanInCaller`` at once (``delayed(func(x))``, a serial loop or ``n_jobs=1`` call ``func``
  there), so such a mistake is named in milliseconds instead of breaking a barrier seconds later.
* ``where`` meets the other tasks at a ``Manager().Barrier`` (it passes only while ``parties``
  tasks run at once), then returns ``(x, pid, thread ident)``.
* ``finish_first_last`` makes item 0 finish after the others: completion order is not input order.
* ``InFlight`` (threads only): counts the calls running at once in this process; each call waits
  until more than ``limit`` run together, at most ``hold`` seconds, so extra workers show up.
* ``stop_loky_workers`` shuts joblib's reusable executor down: loky keeps its worker processes
  alive after ``Parallel`` returns, and the plugin's leak check would take them for leaked children.

loky workers import these by name, so they live here, not in the test file.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class RanInCaller(Exception):
    """A probe task ran in the thread that called ``joblib_map``, not in one of joblib's workers."""


#: (pid, thread ident) of the thread inside ``caller()``; a forked or spawned worker has another pid
_caller: tuple[int, int] | None = None


@contextmanager
def caller() -> Iterator[None]:
    """While inside, a probe task that runs in this thread raises ``RanInCaller``."""
    global _caller
    _caller = (os.getpid(), threading.get_ident())
    try:
        yield
    finally:
        _caller = None


def _not_in_caller(x) -> None:
    if _caller == (os.getpid(), threading.get_ident()):
        raise RanInCaller(f"func({x!r}) ran in the thread that called joblib_map")


def where(barrier, timeout: float, x):
    """Wait until every party of ``barrier`` is in flight (at most ``timeout``); return ``(x, pid, ident)``.

    A barrier that breaks raises ``threading.BrokenBarrierError`` here, in the worker; joblib hands it
    to the caller.
    """
    _not_in_caller(x)
    barrier.wait(timeout)
    return (x, os.getpid(), threading.get_ident())


def finish_first_last(event, timeout: float, delay: float, x):
    """Return ``x * x``; item 0 finishes only after another item has.

    Every other item sets ``event`` and returns at once; item 0 waits for it (at most ``timeout``),
    then ``delay`` seconds more, so its result arrives after another item's.
    """
    _not_in_caller(x)
    if x == 0:
        event.wait(timeout)
        time.sleep(delay)
    else:
        event.set()
    return x * x


def fail_on(bad, x):
    """Return ``x * x``; the item ``bad`` raises ``ValueError(f"bad item {x}")``."""
    _not_in_caller(x)
    if x == bad:
        raise ValueError(f"bad item {x}")
    return x * x


class InFlight:
    """Calls running at once in this process, registered by a name a task can carry to a worker.

    ``InFlight.count(name, x)`` is the task: it enters, waits until more than ``limit`` calls run
    together or ``hold`` seconds have passed (once one call has waited the hold out, later calls do
    not wait), leaves and returns ``(x, pid)``. In a process where ``name`` is not registered (a
    worker process), it returns ``(x, pid)`` at once and counts nothing.
    """

    _registry: dict[str, InFlight] = {}
    _names = itertools.count()

    def __init__(self, limit: int, hold: float) -> None:
        self.limit = limit
        self.hold = hold
        self.now = 0
        self.peak = 0
        self.calls = 0
        self._lock = threading.Lock()
        self._too_many = threading.Event()
        self._waited_out = threading.Event()
        self.name = f"inflight-{os.getpid()}-{next(self._names)}"
        self._registry[self.name] = self

    def close(self) -> None:
        self._too_many.set()
        self._registry.pop(self.name, None)

    @classmethod
    def count(cls, name: str, x):
        _not_in_caller(x)
        self = cls._registry.get(name)
        if self is None:
            return (x, os.getpid())
        with self._lock:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)
            if self.now > self.limit:
                self._too_many.set()
        try:
            if not self._waited_out.is_set() and not self._too_many.wait(self.hold):
                self._waited_out.set()
        finally:
            with self._lock:
                self.now -= 1
        return (x, os.getpid())


def stop_loky_workers() -> None:
    """Stop joblib's reusable loky executor: kill its worker processes and wait until they are gone.

    ``get_reusable_executor(reuse=True)`` hands back the executor joblib left running (or makes one
    with no worker, in milliseconds, when there is none). Killing, not waiting, ends a worker still
    held at a barrier of a failed test at once; joblib's ``terminate`` also removes its temporary
    folders.
    """
    try:
        from joblib.externals.loky import get_reusable_executor
    except ImportError:  # no joblib: the student's joblib_map failed on its import already
        return
    executor = get_reusable_executor(reuse=True)
    if hasattr(executor, "terminate"):  # joblib's MemmappingExecutor
        executor.terminate(kill_workers=True)
    else:
        executor.shutdown(wait=True, kill_workers=True)
