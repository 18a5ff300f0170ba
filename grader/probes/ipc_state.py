"""Probes for the IPC (02_ipc) and shared-state (03_shared_state) topics.

Child processes import these by name, so they live here and not in the hidden test files.

IPC (parent-side guards; each spy acts only in the process that installed it, because fork
children inherit patched classes):

* ``GatedProducer``: a ``produce`` for ``fan_in`` whose workers put nothing until the parent first
  touches a queue (``get``/``empty``/``qsize``, see ``queue_guards``). A parent that asks
  ``empty()`` or ``qsize()`` before it has taken anything therefore always sees an empty queue,
  and a drain loop that stops on ``empty()`` always comes up short: no luck involved.
* ``BigProducer``: items of about 1 MB, far more than a pipe buffers, so a child cannot exit until
  the parent has read them (the docs' "joining processes that use queues" deadlock).
* ``queue_guards``: the gate above, plus a ``get`` that fails fast once every child process has
  exited and the queue is still empty (the items went to another queue object), plus
  ``bounded_join``.
* ``bounded_join``: ``Process.join()`` without a timeout waits at most ``limit`` seconds and then
  raises ``JoinBlocked`` naming the problem, instead of hanging.
* ``connection_log``: records the parent's ``Connection.send``/``recv`` calls (to prove the pipe
  was used and the turns alternated) and fails a ``recv`` fast once every child has exited.

Shared state:

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
import queue as queue_module
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import active_children, connection, managers, process, queues, synchronize
from multiprocessing.shared_memory import SharedMemory
from typing import Iterator

# --------------------------------------------------------------------------- IPC producers

#: how long a gated worker waits for the parent's first queue call before producing anyway
GATE_WAIT = 3.0


class GatedProducer:
    """``produce(i)`` for fan_in: waits for ``gate``, then returns ``counts[i]`` distinct strings.

    Worker ``i`` also sleeps ``stagger * i`` seconds after the gate opens, so the workers finish
    at different times.
    """

    def __init__(self, gate, counts: list[int], stagger: float = 0.05, wait: float = GATE_WAIT) -> None:
        self.gate = gate
        self.counts = list(counts)
        self.stagger = stagger
        self.wait = wait

    def __call__(self, i: int) -> list[str]:
        self.gate.wait(self.wait)
        time.sleep(self.stagger * i)
        return [f"w{i}-{k:03d}" for k in range(self.counts[i])]

    def expected(self) -> list[str]:
        return sorted(f"w{i}-{k:03d}" for i, n in enumerate(self.counts) for k in range(n))


class BigProducer:
    """``produce(i)`` for fan_in: ``count`` strings of ``size`` bytes each, distinct per worker."""

    def __init__(self, size: int = 1_000_000, count: int = 1) -> None:
        self.size = size
        self.count = count

    def item(self, i: int, k: int) -> str:
        head = f"{i:02d}-{k:02d}:"
        return head + "x" * (self.size - len(head))

    def __call__(self, i: int) -> list[str]:
        return [self.item(i, k) for k in range(self.count)]

    def expected(self, n_workers: int) -> list[str]:
        return sorted(self.item(i, k) for i in range(n_workers) for k in range(self.count))


# --------------------------------------------------------------------------- IPC guards


class JoinBlocked(AssertionError):
    """A ``join()`` without timeout waited ``limit`` seconds for a child that did not exit."""


class NothingWillArrive(AssertionError):
    """The parent waits for data while every child process it started has already exited."""


def _new_children(before: set[int]) -> list:
    return [p for p in active_children() if p.pid not in before]


@contextmanager
def bounded_join(limit: float = 2.0, hint: str = "") -> Iterator[None]:
    """Within the block, a parent-side ``Process.join()`` with no timeout waits at most ``limit`` s.

    Then it raises ``JoinBlocked``. Joins with an explicit timeout are left alone.
    """
    original = process.BaseProcess.join
    owner = os.getpid()

    def join(self, timeout=None):
        if timeout is not None or os.getpid() != owner:
            return original(self, timeout)
        original(self, limit)
        if self.exitcode is None:
            raise JoinBlocked(
                f"join() waited {limit:g} s for a child process that could not exit"
                + (f": {hint}" if hint else "")
            )
        return None

    process.BaseProcess.join = join
    try:
        yield
    finally:
        process.BaseProcess.join = original


@dataclass
class QueueGuards:
    calls: list[str] = field(default_factory=list)
    gate_opened_by: str | None = None


_STUCK_QUEUE = (
    "the parent is waiting on a queue, but every child process has already exited, so nothing "
    "more will ever arrive: the children put their items on a different queue object. A "
    "queue.Queue is copied into each child, and a module-level queue is created anew in every "
    "spawned child: create one ctx.Queue() and pass it to each worker as an argument"
)


_NEVER_SHIPPED = (
    "the parent is waiting on a queue that was never given to any child process. Under spawn and "
    "forkserver a child gets only what is passed in its args (a module-level queue is created "
    "anew in every child), so nothing will ever arrive: create one ctx.Queue() and pass it to "
    "each worker as an argument"
)


@contextmanager
def queue_guards(gate=None, method: str = "fork", join_limit: float = 2.0,
                 settle: float = 0.3) -> Iterator[QueueGuards]:
    """Parent-side spies on multiprocessing queues (and ``queue.Queue.get``) for the block.

    * The first parent call to ``get``/``get_nowait``/``empty``/``qsize``/``full`` of a ``Queue``
      (or ``get``/``empty`` of a ``SimpleQueue``) sets ``gate``
      (``empty``/``qsize``/``full`` answer first, then set it, so they see the queue before any
      gated worker could have put anything).
    * A blocking ``get`` raises ``NothingWillArrive`` once every child started inside the block has
      exited and a full ``settle`` interval after that brought nothing (a dead child's items are
      already in the pipe, so an empty queue then stays empty). Under spawn and forkserver
      (``method``) it also raises as soon as the queue is empty if that queue was never pickled
      into a child: no child can ever write to it.
    * ``Process.join()`` without a timeout is bounded (``bounded_join``).
    """
    guards = QueueGuards()
    owner = os.getpid()
    active = [True]  # a call stuck past the block (a hung student call) stops checking children
    before = {p.pid for p in active_children()}
    mp_queue = queues.Queue
    originals = {name: getattr(mp_queue, name)
                 for name in ("get", "get_nowait", "empty", "qsize", "full", "__getstate__")}
    shipped: list = []  # queues pickled for a child (kept alive, so their ids stay unique)
    thread_get = queue_module.Queue.get
    simple = queues.SimpleQueue
    simple_originals = {name: getattr(simple, name) for name in ("get", "empty")}

    def open_gate(name: str) -> None:
        if guards.gate_opened_by is None:
            guards.gate_opened_by = name
            if gate is not None:
                gate.set()

    def getstate(self):
        state = originals["__getstate__"](self)
        if os.getpid() == owner and not any(q is self for q in shipped):
            shipped.append(self)
        return state

    def blocking_get(get_slice, block, timeout, mp_q=None):
        if not block:
            return get_slice(False, None)
        deadline = None if timeout is None else time.monotonic() + timeout
        dead_since = None
        while True:
            if not active[0]:
                return get_slice(True, None if deadline is None else max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            step = 0.1 if deadline is None else max(0.0, min(0.1, deadline - now))
            try:
                return get_slice(True, step)
            except queue_module.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
            if mp_q is not None and method != "fork" and not any(q is mp_q for q in shipped):
                raise NothingWillArrive(_NEVER_SHIPPED)
            if _new_children(before):
                dead_since = None
            elif dead_since is None:
                dead_since = time.monotonic()
            elif time.monotonic() - dead_since >= settle:
                raise NothingWillArrive(_STUCK_QUEUE)

    def mp_get(self, block=True, timeout=None):
        if os.getpid() != owner:
            return originals["get"](self, block, timeout)
        guards.calls.append("get")
        open_gate("get")
        return blocking_get(lambda b, t: originals["get"](self, b, t), block, timeout, self)

    def mp_get_nowait(self):
        if os.getpid() != owner:
            return originals["get_nowait"](self)
        guards.calls.append("get_nowait")
        open_gate("get_nowait")
        return originals["get"](self, False)

    def answer_then_open(name):
        def method(self):
            result = originals[name](self)
            if os.getpid() == owner:
                guards.calls.append(name)
                open_gate(name)
            return result

        return method

    def simple_get(self):
        if os.getpid() == owner:
            guards.calls.append("get")
            open_gate("get")
        return simple_originals["get"](self)

    def simple_empty(self):
        result = simple_originals["empty"](self)
        if os.getpid() == owner:
            guards.calls.append("empty")
            open_gate("empty")
        return result

    def queue_get(self, block=True, timeout=None):
        if os.getpid() != owner:
            return thread_get(self, block, timeout)
        guards.calls.append("queue.Queue.get")
        return blocking_get(lambda b, t: thread_get(self, b, t), block, timeout)

    mp_queue.get = mp_get
    mp_queue.get_nowait = mp_get_nowait
    mp_queue.__getstate__ = getstate
    for name in ("empty", "qsize", "full"):
        setattr(mp_queue, name, answer_then_open(name))
    queue_module.Queue.get = queue_get
    simple.get, simple.empty = simple_get, simple_empty
    try:
        with bounded_join(join_limit, "it still had items on the queue that nobody had read; take every "
                                      "item off the queue first, then join()"):
            yield guards
    finally:
        active[0] = False
        for name, original in originals.items():
            setattr(mp_queue, name, original)
        queue_module.Queue.get = thread_get
        simple.get, simple.empty = simple_originals["get"], simple_originals["empty"]


@dataclass
class ConnectionLog:
    """Parent-side ``send``/``recv`` calls: ``(connection id, 'send' or 'recv', object)``."""

    calls: list[tuple[int, str, object]] = field(default_factory=list)

    def ops(self) -> list[tuple[str, object]]:
        return [(op, obj) for _, op, obj in self.calls]

    def sent(self) -> list[object]:
        return [obj for _, op, obj in self.calls if op == "send"]

    def received(self) -> list[object]:
        return [obj for _, op, obj in self.calls if op == "recv"]

    def connections(self) -> set[int]:
        return {conn for conn, _, _ in self.calls}


_STUCK_PIPE = (
    "the parent is waiting in recv(), but the child process has already exited, so nothing more "
    "will ever arrive on that end. What you send on one end of a Pipe comes out of the OTHER "
    "end: the parent must send and receive on its own end, the child on the other"
)


@contextmanager
def connection_log(join_limit: float = 2.0, settle: float = 0.3) -> Iterator[ConnectionLog]:
    """Record the parent's Connection.send/recv; a recv with no child left alive fails fast."""
    log = ConnectionLog()
    owner = os.getpid()
    active = [True]
    before = {p.pid for p in active_children()}
    base = connection._ConnectionBase
    original_send, original_recv = base.send, base.recv

    def send(self, obj):
        if os.getpid() == owner:
            log.calls.append((id(self), "send", obj))
        return original_send(self, obj)

    def recv(self):
        if os.getpid() != owner:
            return original_recv(self)
        dead_since = None
        while active[0] and not self.poll(0.1):
            if _new_children(before):
                dead_since = None
            elif dead_since is None:
                dead_since = time.monotonic()
            elif time.monotonic() - dead_since >= settle:
                raise NothingWillArrive(_STUCK_PIPE)
        obj = original_recv(self)
        log.calls.append((id(self), "recv", obj))
        return obj

    base.send, base.recv = send, recv
    try:
        with bounded_join(join_limit, "it was still waiting for a message, or still sending one nobody read"):
            yield log
    finally:
        active[0] = False
        base.send, base.recv = original_send, original_recv


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
