"""Probes for the shared-state topic (03_shared_state).

Child processes import these by name, so they live here and not in the hidden test files.

* ``BarrierChunk``: a ``str`` whose ``split()`` first waits at a barrier, so every word-count
  worker reaches its first dictionary update at the same moment.
* ``RendezvousManager``: a ``SyncManager`` whose ``dict`` holds the FIRST read of each key until a
  second process reads the same key (at most ``PARTNER_WAIT`` seconds), unless a lock of the same
  manager is held. Unlocked read-modify-write code then always loses an update; code that holds
  ``manager.Lock()`` is never delayed. ``manager_factory`` replaces ``ctx.Manager``.
* ``RendezvousRLock``: the lock ``ctx.Value`` gets (via ``rlock_factory`` replacing ``ctx.RLock``).
  In each child, the first time the lock is fully released, the child waits at a barrier for its
  siblings. ``v.value += 1`` without ``get_lock()`` takes the lock twice (read, then write), so
  every child has read the same value before any writes it back: updates are lost every time.
  A child that holds ``get_lock()`` around the whole increment finishes it before the barrier.
* ``shm_spy``: records the names of SharedMemory blocks the parent creates and unlinks.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import managers, synchronize
from multiprocessing.shared_memory import SharedMemory
from typing import Iterator

# --------------------------------------------------------------------------- shared state: dict

#: how long the first read of a key waits for a second process to read it too
PARTNER_WAIT = 3.0

# Server-side state of a RendezvousManager (it lives in the manager's own process).
_state = threading.Lock()
_locks_held = 0
_first_readers: dict[object, threading.Event] = {}
_settled: set[object] = set()


def _rendezvous(key) -> None:
    """Hold the first read of ``key`` until a second reader arrives (or ``PARTNER_WAIT`` passes).

    Skipped when a TrackedLock of this manager is held: the reader is then inside a critical
    section, and no partner can come.
    """
    with _state:
        if key in _settled:
            return
        waiting = _first_readers.get(key)
        if waiting is not None:
            waiting.set()
            _settled.add(key)
            return
        if _locks_held:
            _settled.add(key)
            return
        waiting = _first_readers[key] = threading.Event()
    waiting.wait(PARTNER_WAIT)
    with _state:
        _settled.add(key)
        _first_readers.pop(key, None)


class RendezvousDict(dict):
    """Server-side dict: each read takes its snapshot first, then meets a partner (``_rendezvous``)."""

    def get(self, key, default=None):
        value = super().get(key, default)
        _rendezvous(key)
        return value

    def __getitem__(self, key):
        try:
            value = super().__getitem__(key)
        except KeyError:
            _rendezvous(key)
            raise
        _rendezvous(key)
        return value

    def __contains__(self, key):
        found = super().__contains__(key)
        _rendezvous(key)
        return found

    def setdefault(self, key, default=None):
        value = super().setdefault(key, default)
        _rendezvous(key)
        return value


class TrackedLock:
    """Server-side ``threading.Lock`` that tells ``_rendezvous`` whether some lock is held."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, blocking=True, timeout=-1):
        global _locks_held
        got = self._lock.acquire(blocking, timeout)
        if got:
            with _state:
                _locks_held += 1
        return got

    def release(self):
        global _locks_held
        with _state:
            _locks_held -= 1
        self._lock.release()


class RendezvousManager(managers.SyncManager):
    """A SyncManager whose ``dict()`` and ``Lock()`` are the rendezvous versions above."""


RendezvousManager.register("dict", RendezvousDict, managers.DictProxy)
RendezvousManager.register("Lock", TrackedLock, managers.AcquirerProxy)


@dataclass
class ManagerFactory:
    """Stands in for ``ctx.Manager``: starts a RendezvousManager and counts the calls."""

    ctx: object
    made: list = field(default_factory=list)

    def __call__(self):
        manager = RendezvousManager(ctx=self.ctx)
        manager.start()
        self.made.append(manager)
        return manager

    def shutdown_all(self) -> None:
        for manager in self.made:
            try:
                manager.shutdown()
            except Exception:  # noqa: BLE001 - already shut down, or never fully started
                pass


class BarrierChunk(str):
    """A text chunk whose ``split()`` first waits (once per process) at ``barrier``.

    If the barrier breaks (the workers did not run at the same time), ``split`` still works.
    """

    def __new__(cls, text: str = "", barrier=None, timeout: float = 0.0):
        obj = super().__new__(cls, text)
        obj.barrier = barrier
        obj.timeout = timeout
        obj.waited_in = None
        return obj

    def split(self, *args, **kwargs):
        if self.barrier is not None and self.waited_in != os.getpid():
            self.waited_in = os.getpid()
            try:
                self.barrier.wait(self.timeout)
            except threading.BrokenBarrierError:
                pass
        return str(self).split(*args, **kwargs)


# --------------------------------------------------------------------------- shared state: Value


class RendezvousRLock(synchronize.RLock):
    """``ctx.RLock`` stand-in: in each child, the first full release meets the siblings at a barrier."""

    def __init__(self, barrier, timeout: float, *, ctx) -> None:
        self._rdv = (barrier, timeout, os.getpid())
        self._depth = 0
        self._met_in = None
        super().__init__(ctx=ctx)

    def _make_methods(self) -> None:
        self.acquire = self._acquire
        self.release = self._release

    def _acquire(self, block=True, timeout=None):
        got = self._semlock.acquire(block, timeout)
        if got:
            self._depth += 1
        return got

    def _release(self) -> None:
        self._semlock.release()
        self._depth -= 1
        if self._depth == 0:
            self._meet()

    def __enter__(self):
        return self._acquire()

    def __exit__(self, *exc) -> None:
        self._release()

    def _meet(self) -> None:
        barrier, timeout, creator = self._rdv
        pid = os.getpid()
        if pid == creator or self._met_in == pid:
            return
        self._met_in = pid
        try:
            barrier.wait(timeout)
        except threading.BrokenBarrierError:
            pass

    def __getstate__(self):
        return (super().__getstate__(), self._rdv)

    def __setstate__(self, state) -> None:
        base, self._rdv = state
        self._depth = 0
        self._met_in = None
        super().__setstate__(base)


@dataclass
class RLockFactory:
    """Stands in for ``ctx.RLock`` (which ``ctx.Value`` calls): makes RendezvousRLocks."""

    ctx: object
    barrier: object
    timeout: float
    made: int = 0

    def __call__(self):
        self.made += 1
        return RendezvousRLock(self.barrier, self.timeout, ctx=self.ctx)


# --------------------------------------------------------------------------- shared state: shm


@dataclass
class ShmLog:
    created: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)


@contextmanager
def shm_spy() -> Iterator[ShmLog]:
    """Record the SharedMemory blocks this process creates and unlinks inside the block."""
    log = ShmLog()
    owner = os.getpid()
    original_init, original_unlink = SharedMemory.__init__, SharedMemory.unlink

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        create = kwargs.get("create", args[1] if len(args) > 1 else False)
        if create and os.getpid() == owner:
            log.created.append(self.name)

    def unlink(self):
        if os.getpid() == owner:
            log.unlinked.append(self.name)
        return original_unlink(self)

    SharedMemory.__init__, SharedMemory.unlink = init, unlink
    try:
        yield log
    finally:
        SharedMemory.__init__, SharedMemory.unlink = original_init, original_unlink


def block_exists(name: str) -> bool:
    """True if a SharedMemory block ``name`` can still be attached (it is then unlinked, to clean up)."""
    try:
        leftover = SharedMemory(name=name)
    except FileNotFoundError:
        return False
    leftover.close()
    try:
        leftover.unlink()
    except FileNotFoundError:
        pass
    return True


# --------------------------------------------------------------------------- shared state: processes


def killed_by_signal(*_args) -> None:
    """A worker's target that dies by SIGKILL (exitcode -9), as the kernel's OOM killer would."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class ProcessFactory:
    """Stands in for ``ctx.Process``: counts the processes made through the given ``ctx`` and, if
    ``kill`` is set, gives process number ``kill`` (0-based) a target that dies by a signal."""

    real: object
    kill: int | None = None
    made: int = 0

    def __call__(self, *args, **kwargs):
        if self.made == self.kill:
            kwargs["target"] = killed_by_signal
        self.made += 1
        return self.real(*args, **kwargs)
