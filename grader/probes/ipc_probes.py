"""Probes for the IPC topic (02_ipc).

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
* ``ResultWorker``: a ``make_result`` for ``collect_results`` whose workers wait for a gate, send
  late, or die without sending.
"""

from __future__ import annotations

import os
import queue as queue_module
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import active_children, connection, process, queues
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


def result_payload(i: int, size: int) -> bytes:
    """Worker ``i``'s result in ``collect_results``: ``size`` bytes of ``i % 256``."""
    return bytes([i % 256]) * size


class ResultWorker:
    """``make_result(i, size, out_q)`` for collect_results, with the timing a test needs.

    Worker ``i`` ends at once (exit code 3, nothing sent) if ``i`` is in ``dies``; otherwise it
    waits for ``gate`` (when given; see ``queue_guards``), sleeps ``delays[i]`` seconds (0 if not
    given) and puts ``(i, result_payload(i, size))``.
    """

    def __init__(self, gate=None, delays: dict[int, float] | None = None, dies: tuple[int, ...] = (),
                 wait: float = GATE_WAIT) -> None:
        self.gate = gate
        self.delays = dict(delays or {})
        self.dies = tuple(dies)
        self.wait = wait

    def __call__(self, i: int, size: int, out_q) -> None:
        if i in self.dies:
            os._exit(3)
        if self.gate is not None:
            self.gate.wait(self.wait)
        time.sleep(self.delays.get(i, 0.0))
        out_q.put((i, result_payload(i, size)))


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


class _QueueSpy:
    """The state and the replacement methods of one ``queue_guards`` block (see there)."""

    def __init__(self, gate, method: str, settle: float) -> None:
        self.guards = QueueGuards()
        self.gate, self.method, self.settle = gate, method, settle
        self.owner = os.getpid()
        self.active = True  # a call stuck past the block (a hung student call) stops checking children
        self.before = {p.pid for p in active_children()}
        self.mp = {name: getattr(queues.Queue, name) for name in ("get", "get_nowait", "empty", "qsize", "full",
                                                                   "__getstate__")}
        self.simple = {name: getattr(queues.SimpleQueue, name) for name in ("get", "empty")}
        self.thread_get = queue_module.Queue.get
        self.shipped: list = []  # queues pickled for a child (kept alive, so their ids stay unique)

    def mine(self) -> bool:
        return os.getpid() == self.owner

    def touched(self, name: str) -> None:
        """The parent called ``name`` on a queue: log it; the first such call opens the gate."""
        self.guards.calls.append(name)
        if self.guards.gate_opened_by is None:
            self.guards.gate_opened_by = name
            if self.gate is not None:
                self.gate.set()

    def getstate(self, q):
        state = self.mp["__getstate__"](q)
        if self.mine() and not any(s is q for s in self.shipped):
            self.shipped.append(q)
        return state

    def blocking_get(self, get_slice, block, timeout, mp_q=None):
        """``get`` in 0.1 s slices, failing fast once nothing can arrive any more."""
        if not block:
            return get_slice(False, None)
        deadline = None if timeout is None else time.monotonic() + timeout
        dead_since = None
        while True:
            if not self.active:
                return get_slice(True, None if deadline is None else max(0.0, deadline - time.monotonic()))
            step = 0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic()))
            try:
                return get_slice(True, step)
            except queue_module.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
            if mp_q is not None and self.method != "fork" and not any(s is mp_q for s in self.shipped):
                raise NothingWillArrive(_NEVER_SHIPPED)
            if _new_children(self.before):
                dead_since = None
            elif dead_since is None:
                dead_since = time.monotonic()
            elif time.monotonic() - dead_since >= self.settle:
                raise NothingWillArrive(_STUCK_QUEUE)

    def mp_get(self, q, block=True, timeout=None):
        if not self.mine():
            return self.mp["get"](q, block, timeout)
        self.touched("get")
        return self.blocking_get(lambda b, t: self.mp["get"](q, b, t), block, timeout, q)

    def mp_get_nowait(self, q):
        if not self.mine():
            return self.mp["get_nowait"](q)
        self.touched("get_nowait")
        return self.mp["get"](q, False)

    def answer_then_open(self, name: str):
        """``empty``/``qsize``/``full`` answer first, then open the gate: they see the queue unfed."""
        def method(q):
            result = self.mp[name](q)
            if self.mine():
                self.touched(name)
            return result

        return method

    def simple_get(self, q):
        if self.mine():
            self.touched("get")
        return self.simple["get"](q)

    def simple_empty(self, q):
        result = self.simple["empty"](q)
        if self.mine():
            self.touched("empty")
        return result

    def queue_get(self, q, block=True, timeout=None):
        if not self.mine():
            return self.thread_get(q, block, timeout)
        self.guards.calls.append("queue.Queue.get")
        return self.blocking_get(lambda b, t: self.thread_get(q, b, t), block, timeout)

    def install(self) -> None:
        # Plain functions (not bound methods) on the classes, so that each call gets its queue.
        queues.Queue.get = lambda q, block=True, timeout=None: self.mp_get(q, block, timeout)
        queues.Queue.get_nowait = lambda q: self.mp_get_nowait(q)
        queues.Queue.__getstate__ = lambda q: self.getstate(q)
        for name in ("empty", "qsize", "full"):
            setattr(queues.Queue, name, self.answer_then_open(name))
        queue_module.Queue.get = lambda q, block=True, timeout=None: self.queue_get(q, block, timeout)
        queues.SimpleQueue.get = lambda q: self.simple_get(q)
        queues.SimpleQueue.empty = lambda q: self.simple_empty(q)

    def restore(self) -> None:
        self.active = False
        for name, original in self.mp.items():
            setattr(queues.Queue, name, original)
        queue_module.Queue.get = self.thread_get
        queues.SimpleQueue.get, queues.SimpleQueue.empty = self.simple["get"], self.simple["empty"]


@contextmanager
def queue_guards(gate=None, method: str = "fork", join_limit: float = 2.0,
                 settle: float = 0.3, join_hint: str = "") -> Iterator[QueueGuards]:
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
    * ``Process.join()`` without a timeout is bounded (``bounded_join``); ``join_hint`` replaces
      the explanation its failure gives.
    """
    spy = _QueueSpy(gate, method, settle)
    spy.install()
    try:
        with bounded_join(join_limit, join_hint or "it still had items on the queue that nobody had read; take "
                                                   "every item off the queue first, then join()"):
            yield spy.guards
    finally:
        spy.restore()


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
