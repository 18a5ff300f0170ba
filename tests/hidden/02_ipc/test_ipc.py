"""Hidden tests for 02_ipc (module ``ipc``).

Every test runs under fork, spawn and forkserver (the ``ctx`` fixture). Parent-side spies
(grader.probes.ipc_state) make each mistake fail fast and every time:

* the parent's Connection.send/recv calls are recorded, so the tests see that the numbers really
  crossed the pipe and that pings and pongs alternate;
* fan_in's workers put nothing until the parent first touches the queue, so a drain loop that
  stops on ``empty()`` or trusts ``qsize()`` always comes up short;
* a ``join()`` with no timeout is bounded: joining before draining 1 MB items fails after 2 s;
* a parent waiting on a queue or pipe after every child has exited fails at once (the data went
  to another queue object, or to the wrong end of the pipe), and so does a parent waiting, under
  spawn or forkserver, on a queue that was never passed to any child.
"""

from __future__ import annotations

import multiprocessing

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.ipc_state import BigProducer, GatedProducer, connection_log, queue_guards

CALL_LIMIT = 10.0  # backstop: the correct solution returns in under 1 s (spawn at load 13: ~4 s)


@pytest.fixture
def ipc():
    return load_student("ipc")


@pytest.fixture(scope="module")
def manager():
    """One Manager for the module: its Event proxies pickle into every start method."""
    mgr = multiprocessing.get_context("spawn").Manager()
    yield mgr
    mgr.shutdown()


def _method(ctx) -> str:
    return ctx.get_start_method()


class TestPipeSum:
    def test_numbers_cross_the_pipe_and_the_sum_comes_back(self, ipc, ctx):
        numbers = list(range(-20, 180))
        with connection_log() as log:
            total = call_with_timeout(ipc.pipe_sum, numbers, ctx=ctx, timeout=CALL_LIMIT)
        assert total == sum(numbers), f"[{_method(ctx)}] pipe_sum returned {total!r}, expected {sum(numbers)}"
        sent = log.sent()
        assert sent[: len(numbers)] == numbers, (
            "the parent should send each number on its own with send(x), in order, before anything "
            f"else; the first messages it sent were {sent[:5]!r}..."
        )
        assert sent[len(numbers):] == [None], (
            f"after the numbers the parent should send exactly one None, it sent {sent[len(numbers):]!r}"
        )
        assert log.received() == [sum(numbers)], (
            f"the parent should receive exactly one message, the sum; it received {log.received()!r}"
        )

    def test_empty_and_single(self, ipc, ctx):
        with connection_log():
            assert call_with_timeout(ipc.pipe_sum, [], ctx=ctx, timeout=CALL_LIMIT) == 0, (
                "pipe_sum([]) should be 0 (the child answers 0 when the first message is None)"
            )
            assert call_with_timeout(ipc.pipe_sum, [41], ctx=ctx, timeout=CALL_LIMIT) == 41


class TestFanIn:
    def test_every_item_arrives_from_workers_that_finish_late(self, ipc, ctx, manager):
        gate = manager.Event()
        produce = GatedProducer(gate, counts=[4, 0, 3, 5])
        with queue_guards(gate, _method(ctx)) as guards:
            items = call_with_timeout(ipc.fan_in, produce, 4, ctx=ctx, timeout=CALL_LIMIT)
        expected = produce.expected()
        assert isinstance(items, list), f"fan_in should return a list, got {type(items).__name__}"
        if guards.gate_opened_by in ("empty", "qsize", "full") and len(items) < len(expected):
            pytest.fail(
                f"[{_method(ctx)}] fan_in returned {len(items)} of {len(expected)} items: it asked the "
                f"queue {guards.gate_opened_by}() before the workers had put anything, and stopped. "
                "empty() and qsize() only say what is there NOW; drain until you have one None per worker",
                pytrace=False,
            )
        assert items == expected, (
            f"[{_method(ctx)}] fan_in returned {len(items)} items, expected {len(expected)}: "
            f"{items[:6]!r}... vs {expected[:6]!r}... (sorted, every item of every worker, no None)"
        )

    def test_large_items_are_drained_before_join(self, ipc, ctx):
        produce = BigProducer(size=1_000_000, count=1)
        with queue_guards(method=_method(ctx)):
            items = call_with_timeout(ipc.fan_in, produce, 2, ctx=ctx, timeout=CALL_LIMIT)
        expected = produce.expected(2)
        assert [len(x) for x in items] == [len(x) for x in expected] and items == expected, (
            f"[{_method(ctx)}] fan_in should return the two 1 MB items, got {len(items)} item(s)"
        )


class TestPingPong:
    def test_strict_turns(self, ipc, ctx):
        rounds = 6
        with connection_log() as log:
            transcript = call_with_timeout(ipc.ping_pong, rounds, ctx=ctx, timeout=CALL_LIMIT)
        assert transcript == ["ping", "pong"] * rounds, (
            f"[{_method(ctx)}] expected ['ping', 'pong'] * {rounds}, got {transcript!r}"
        )
        ops = log.ops()
        expected_ops = [("send", "ping"), ("recv", "pong")] * rounds
        assert ops == expected_ops, (
            "the parent should send 'ping', then receive the child's 'pong', and only then send the "
            f"next ping; its pipe calls were {ops[:6]!r}..."
        )
        assert len(log.connections()) == 1, "the parent should send and receive on one end of one Pipe"

    def test_zero_and_one_round(self, ipc, ctx):
        with connection_log():
            assert call_with_timeout(ipc.ping_pong, 0, ctx=ctx, timeout=CALL_LIMIT) == []
            assert call_with_timeout(ipc.ping_pong, 1, ctx=ctx, timeout=CALL_LIMIT) == ["ping", "pong"]
