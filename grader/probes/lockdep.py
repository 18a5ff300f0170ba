"""Lock-order recording: find a possible deadlock without waiting for one.

Each blocking ``acquire`` records an edge *held -> acquiring* for every lock the thread already
holds. A cycle in that graph means two code paths take the same locks in opposite orders, which
is a deadlock waiting for the wrong interleaving. One thread running the transfers one after
another can never deadlock, yet finds the cycle in well under a millisecond (research E3).
Non-blocking and timed acquires add no edge: they cannot wait forever (Linux lockdep treats
trylock the same way), so try-lock-with-back-off solutions are accepted.

While a thread is blocked in ``acquire`` it is listed in a module-wide table (``waiting()``), so
the hang forensics (``grader.sandboxed.hangdump``) can name who waits for which lock and who
holds it when a test times out.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass, field


@dataclass
class LockGraph:
    """Edges between named locks, shared by every RecordingLock of one test."""

    edges: dict[str, set[str]] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def held(self) -> list["RecordingLock"]:
        """The locks the calling thread holds, in the order it took them."""
        if not hasattr(self._local, "held"):
            self._local.held = []
        return self._local.held

    def record(self, acquiring: "RecordingLock") -> None:
        for lock in self.held():
            if lock is acquiring:
                continue
            if acquiring.name not in self.edges.setdefault(lock.name, set()):
                self.edges[lock.name].add(acquiring.name)
                self.where[(lock.name, acquiring.name)] = _caller()

    def find_cycle(self) -> list[str] | None:
        """A cycle as ``[a, b, ..., a]``, or None when the lock order is consistent."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
        path: list[str] = []

        def visit(node: str) -> list[str] | None:
            state[node] = 1
            path.append(node)
            for nxt in sorted(self.edges.get(node, ())):
                if state.get(nxt) == 1:
                    return path[path.index(nxt):] + [nxt]
                if nxt not in state:
                    found = visit(nxt)
                    if found:
                        return found
            path.pop()
            state[node] = 2
            return None

        for start in sorted(self.edges):
            if start not in state:
                found = visit(start)
                if found:
                    return found
        return None

    def describe_cycle(self) -> str | None:
        """A sentence a student can act on, naming the locks and where each edge was taken."""
        cycle = self.find_cycle()
        if cycle is None:
            return None
        steps = [f"{a} then {b} ({self.where.get((a, b), '?')})" for a, b in zip(cycle, cycle[1:])]
        return (
            "possible deadlock: locks are taken in inconsistent orders: "
            + "; ".join(steps)
            + ". Take locks in one global order (for example by account id)."
        )


_WAITING: dict[int, tuple["RecordingLock", bool]] = {}
"""Thread ident -> (the RecordingLock it is blocked on, whether the acquire has a time limit)."""


def waiting() -> list[dict[str, object]]:
    """Who waits for which lock right now: ``{"thread", "lock", "owner", "timed"}`` (thread idents)."""
    return [{"thread": ident, "lock": lock.name, "owner": lock.owner, "timed": timed}
            for ident, (lock, timed) in list(_WAITING.items())]


class LockWaitTimeout(RuntimeError):
    """A blocking ``acquire()`` of a RecordingLock with a ``wait_limit`` waited that long."""


class RecordingLock:
    """A ``threading.Lock`` stand-in that records lock order and who holds it.

    ``wait_limit`` (seconds) bounds a blocking ``acquire()`` that has no timeout: after that
    long it raises LockWaitTimeout instead of waiting forever. Tests that run student code in
    real threads use it so that a real deadlock ends those threads (a deadlocked non-daemon
    thread would hang interpreter exit); the edge is recorded first, as without the limit.
    """

    def __init__(self, name: str, graph: LockGraph, wait_limit: float | None = None) -> None:
        self.name = name
        self.graph = graph
        self.wait_limit = wait_limit
        self._lock = threading.Lock()
        self.owner: int | None = None
        self.acquisitions = 0
        self._holder: list[RecordingLock] | None = None

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        ident = threading.get_ident()
        if blocking and timeout < 0:
            self.graph.record(self)
            _WAITING[ident] = (self, self.wait_limit is not None)
            try:
                if self.wait_limit is not None:
                    got = self._lock.acquire(True, self.wait_limit)
                    if not got:
                        raise LockWaitTimeout(self._stuck_message())
                else:
                    got = self._lock.acquire()
            finally:
                _WAITING.pop(ident, None)
        elif blocking:
            _WAITING[ident] = (self, True)
            try:
                got = self._lock.acquire(blocking, timeout)
            finally:
                _WAITING.pop(ident, None)
        else:
            got = self._lock.acquire(blocking, timeout)
        if got:
            self.owner = threading.get_ident()
            self.acquisitions += 1
            self._holder = self.graph.held()
            self._holder.append(self)
        return got

    def _stuck_message(self) -> str:
        held = [lock.name for lock in self.graph.held()]
        holding = f" while holding {', '.join(held)}" if held else ""
        return (
            f"a thread waited {self.wait_limit:g} s for {self.name}{holding} ({_caller()}): "
            "a deadlock, or a lock that was never released"
        )

    def release(self) -> None:
        # Any thread may release a plain Lock, so forget it in the owner's list, not the caller's.
        holder, self._holder, self.owner = self._holder, None, None
        if holder is not None and self in holder:
            holder.remove(self)
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def held_by_me(self) -> bool:
        return self._lock.locked() and self.owner == threading.get_ident()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<RecordingLock {self.name} {'locked' if self.locked() else 'unlocked'}>"


def _caller() -> str:
    """``file:line`` of the first frame outside this module (the student's acquire)."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not frame.filename.endswith("lockdep.py"):
            return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
    return "?"
