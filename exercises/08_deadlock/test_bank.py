"""Visible tests for 08_deadlock. Run them with:  pytest exercises/08_deadlock

The locks here are small stand-ins for threading.Lock that remember the order in which each
thread takes them, so a wrong order is reported at once instead of as a rare hang. A blocking
acquire gives up after 2 s with an error, so even a real deadlock cannot hang the test run.
The grader's hidden tests check more than these.
"""

from __future__ import annotations

import threading
import time

import pytest

from bank import Account, Room, User, acquire_both, dine, transfer


class OrderLock:
    """A Lock that records, per thread, which locks were held when it was taken (blocking)."""

    _local = threading.local()

    def __init__(self, name, edges):
        self.name = name
        self.edges = edges  # set of (held, acquiring) name pairs, shared by a test's locks
        self._lock = threading.Lock()

    def _held(self):
        if not hasattr(self._local, "held"):
            self._local.held = []
        return self._local.held

    def acquire(self, blocking=True, timeout=-1):
        if blocking and timeout < 0:
            for other in self._held():
                self.edges.add((other.name, self.name))
            if not self._lock.acquire(True, 2.0):
                raise RuntimeError(f"waited 2 s for {self.name}: deadlock")
            got = True
        else:
            got = self._lock.acquire(blocking, timeout)
        if got:
            self._held().append(self)
        return got

    def release(self):
        held = self._held()
        if self in held:
            held.remove(self)
        self._lock.release()

    def locked(self):
        return self._lock.locked()

    def held_by_me(self):
        return self in self._held()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()


def find_cycle(edges):
    """A list of lock names forming a cycle in the held -> acquiring graph, or None."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def visit(node, path):
        for nxt in graph.get(node, ()):
            if nxt in path:
                return path[path.index(nxt):] + [nxt]
            found = visit(nxt, path + [nxt])
            if found:
                return found
        return None

    for start in graph:
        found = visit(start, [start])
        if found:
            return found
    return None


def run_in_thread(fn, *args, limit=10.0):
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {limit:g} s: is it deadlocked?", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box.get("value")


class TestTransfer:
    def test_moves_the_money(self):
        a, b = Account(1, 100), Account(2, 50)
        transfer(a, b, 30)
        assert (a.balance, b.balance) == (70, 80)
        transfer(b, a, 80)
        assert (a.balance, b.balance) == (150, 0)
        assert not a.lock.locked() and not b.lock.locked(), "release both locks"

    def test_same_lock_order_in_both_directions(self):
        edges = set()
        a = Account(1, 100, lock=OrderLock("account 1", edges))
        b = Account(2, 100, lock=OrderLock("account 2", edges))
        run_in_thread(transfer, a, b, 10)
        run_in_thread(transfer, b, a, 10)
        assert find_cycle(edges) is None, (
            f"transfer(a, b) and transfer(b, a) take the locks in opposite orders {sorted(edges)}: "
            "take the lower account id first"
        )
        assert ("account 1", "account 2") in edges, "hold both locks: take the second while holding the first"


class TestAcquireBoth:
    def test_free_locks(self):
        a, b = threading.Lock(), threading.Lock()
        assert acquire_both(a, b, 1.0) is True
        assert a.locked() and b.locked()
        a.release()
        b.release()

    def test_second_lock_busy(self):
        a, b = threading.Lock(), threading.Lock()
        b.acquire()  # held by this thread; acquire_both runs in another one
        try:
            start = time.monotonic()
            assert run_in_thread(acquire_both, a, b, 0.2) is False
            assert time.monotonic() - start < 1.0
            assert not a.locked(), "on failure, release lock a before returning False"
        finally:
            b.release()


class TestDine:
    @pytest.mark.parametrize("n", [2, 5])
    def test_everyone_eats_without_deadlock(self, n):
        edges = set()
        forks = [OrderLock(f"fork {i}", edges) for i in range(n)]
        eaten = [0] * n
        problems = []

        def eat(i):
            if not (forks[i].held_by_me() and forks[(i + 1) % n].held_by_me()):
                problems.append(f"philosopher {i} ate without holding forks {i} and {(i + 1) % n}")
            eaten[i] += 1

        run_in_thread(dine, forks, 3, eat)
        cycle = find_cycle(edges)
        assert cycle is None, f"forks are taken in a circular order {' -> '.join(cycle)}: a deadlock can happen"
        assert eaten == [3] * n
        assert not problems, problems[0]


class TestRoomBroadcast:
    def test_broadcast_and_leave_take_locks_in_one_order(self):
        edges = set()
        lobby, ann = Room("lobby"), User("ann")
        lobby.lock, ann.lock = OrderLock("room", edges), OrderLock("user", edges)
        lobby.join(ann)
        lobby.broadcast("hi")
        ann.leave_all()
        lobby.broadcast("bye")
        assert ann.inbox == [("lobby", "hi")] and lobby.members == [] and ann.rooms == []
        assert not ({("room", "user"), ("user", "room")} <= edges), (
            f"lock order edges {sorted(edges)}: broadcast takes room then user, leave_all user then room. "
            "Two threads doing these at once can deadlock"
        )
