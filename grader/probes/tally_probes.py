"""Probes for 03_shared_state's ``tally_by_key``: read-modify-writes that must hold ONE shared lock.

Child processes import these by name, so they live here and not in the hidden test file.

* ``ContendedManager``: a ``SyncManager`` whose dict holds the first read of a contested key until
  either a second process reads that key too (both then write back from the same value, so an
  update is lost, every time) or the reader is shown to exclude the others: it holds a lock of this
  manager that another process is waiting for. Code that holds one shared lock from each read to
  its write is never made to lose an update, and is delayed only until a second worker reaches the
  lock. No lock, a lock around the write only, or a lock per process excludes nobody and always
  loses one. ``ContendedManagerFactory`` replaces ``ctx.Manager``.
* ``GatedBatch``: a list whose first use in a child waits at a barrier (every worker starts at the
  same moment) or for a gate (an Event the test opens when the parent waits for the workers).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing import managers

from grader.probes.shared_state_probes import ManagerFactory


#: how long the first read of a contested key waits for a partner or for proof that it excludes one
CONTEND_WAIT = 2.0

# Server-side state of a ContendedManager (it lives in the manager's own process). A manager serves
# each client (process, thread) on a thread of its own, shared by every proxy of that client, so
# ``threading.get_ident()`` in a served method names the client that called it.
_contest = threading.Condition()
_contested: frozenset | None = None  # the keys whose first read is held; None: every key
_holder: dict[int, int] = {}  # id(lock) -> server thread of the client holding it
_depth: dict[int, int] = {}  # id(lock) -> how many times its holder took it (RLock)
_waiting: Counter = Counter()  # id(lock) -> clients blocked in acquire()
_first: dict[object, int] = {}  # (id(dict), key) -> the client whose first read waits for a partner
_partnered: set = set()
_done: set = set()


def configure_contest(keys) -> None:
    """Server initializer: only the first reads of ``keys`` are held (``None``: of every key)."""
    global _contested
    _contested = None if keys is None else frozenset(keys)


def _excludes(client: int) -> bool:
    """True when ``client`` holds a lock of this manager that another client is waiting for."""
    return any(holder == client and _waiting[lock] > 0 for lock, holder in _holder.items())


def _contend(slot) -> None:
    """Hold the first read of ``slot`` until a partner reads it too, or the reader proves exclusion."""
    me = threading.get_ident()
    with _contest:
        if slot in _done:
            return
        if slot in _first and _first[slot] != me:
            _partnered.add(slot)  # two clients read the same value: both will write from it
            _done.add(slot)
            _contest.notify_all()
            return
        if _contested is not None and slot[1] not in _contested:
            _done.add(slot)
            return
        _first[slot] = me
        deadline = time.monotonic() + CONTEND_WAIT
        while slot not in _partnered and not _excludes(me):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            _contest.wait(left)
        _first.pop(slot, None)
        _done.add(slot)


class ContendedDict(dict):
    """Server-side dict: each read takes its snapshot first, then contends (``_contend``)."""

    def get(self, key, default=None):
        value = super().get(key, default)
        _contend((id(self), key))
        return value

    def __getitem__(self, key):
        try:
            value = super().__getitem__(key)
        except KeyError:
            _contend((id(self), key))
            raise
        _contend((id(self), key))
        return value

    def __contains__(self, key):
        found = super().__contains__(key)
        _contend((id(self), key))
        return found

    def setdefault(self, key, default=None):
        value = super().setdefault(key, default)
        _contend((id(self), key))
        return value


class WatchedLock:
    """Server-side lock that records which client holds it and how many clients wait for it."""

    reentrant = False

    def __init__(self) -> None:
        self._lock = threading.RLock() if self.reentrant else threading.Lock()

    def acquire(self, blocking=True, timeout=-1):
        me, key = threading.get_ident(), id(self)
        with _contest:
            if _holder.get(key) != me:
                _waiting[key] += 1
                _contest.notify_all()
                counted = True
            else:
                counted = False
        try:
            got = self._lock.acquire(blocking, -1 if timeout is None else timeout)
        finally:
            if counted:
                with _contest:
                    _waiting[key] -= 1
        if got:
            with _contest:
                _holder[key] = me
                _depth[key] = _depth.get(key, 0) + 1
        return got

    def release(self) -> None:
        key = id(self)
        with _contest:
            _depth[key] = _depth.get(key, 1) - 1
            if _depth[key] <= 0:
                _holder.pop(key, None)
                _depth.pop(key, None)
        self._lock.release()


class WatchedRLock(WatchedLock):
    reentrant = True


class ContendedManager(managers.SyncManager):
    """A SyncManager whose ``dict()``, ``Lock()`` and ``RLock()`` are the contended versions above."""


ContendedManager.register("dict", ContendedDict, managers.DictProxy)
ContendedManager.register("Lock", WatchedLock, managers.AcquirerProxy)
ContendedManager.register("RLock", WatchedRLock, managers.AcquirerProxy)


@dataclass
class ContendedManagerFactory(ManagerFactory):
    """Stands in for ``ctx.Manager``: starts a ContendedManager (``contested`` keys) and counts the calls."""

    contested: tuple | None = None

    def __call__(self):
        manager = ContendedManager(ctx=self.ctx)
        manager.start(configure_contest, (self.contested,))
        self.made.append(manager)
        return manager


class GatedBatch(list):
    """A list whose first use in a child process (iterating, len, indexing) waits, once per process.

    It waits at ``barrier`` (a broken barrier is ignored: the workers did not run at the same time)
    and then for ``gate``, an Event, each at most ``timeout`` seconds. In the process that made it
    (the parent) it is a plain list.
    """

    def __init__(self, items=(), barrier=None, gate=None, timeout: float = 0.0):
        super().__init__(items)
        self.barrier = barrier
        self.gate = gate
        self.timeout = timeout
        self.creator = os.getpid()
        self.waited_in = None

    def _wait(self) -> None:
        pid = os.getpid()
        if pid == self.creator or self.waited_in == pid:
            return
        self.waited_in = pid
        if self.barrier is not None:
            try:
                self.barrier.wait(self.timeout)
            except threading.BrokenBarrierError:
                pass
        if self.gate is not None:
            self.gate.wait(self.timeout)

    def __iter__(self):
        self._wait()
        return super().__iter__()

    def __len__(self):
        self._wait()
        return super().__len__()

    def __getitem__(self, index):
        self._wait()
        return super().__getitem__(index)
