"""Hidden tests of the red-team course: plain checks an adversarial submission tries to defeat."""

import multiprocessing
import threading

import pytest

from grader.probes import load_student
from grader.probes.lockdep import LockGraph, RecordingLock


@pytest.fixture
def target():
    return load_student("target")


class TestAdd:
    def test_small(self, target):
        assert target.add(1, 2) == 3

    def test_negative(self, target):
        assert target.add(-1, -2) == -3


class TestThreads:
    def test_fifty_threads(self, target):
        assert target.count_with_threads(50, 200) == 10_000


class TestPool:
    def test_squares(self, target):
        assert target.pool_squares([1, 2, 3, 4], multiprocessing.get_context("fork")) == [1, 4, 9, 16]


class TestTransfer:
    def test_opposite_transfers(self, target):
        graph = LockGraph()
        a = target.Account(1, 1000, RecordingLock("account 1", graph))
        b = target.Account(2, 1000, RecordingLock("account 2", graph))
        start = threading.Barrier(2)

        def mover(src, dst, times):
            start.wait()
            for _ in range(times):
                target.transfer(src, dst, 1)

        threads = [threading.Thread(target=mover, args=(a, b, 200), name="mover-1", daemon=True),
                   threading.Thread(target=mover, args=(b, a, 100), name="mover-2", daemon=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert (a.balance, b.balance) == (900, 1100)
        assert graph.find_cycle() is None, graph.describe_cycle()
