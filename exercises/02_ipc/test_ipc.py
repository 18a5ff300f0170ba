"""Visible tests for 02_ipc. Run them with:  pytest exercises/02_ipc

Each test runs once per start method (fork, spawn, forkserver where available). Every wait has a
timeout, so a mistake shows up as a failure, never as a hang. The grader's hidden tests check
more: that the numbers really cross the pipe, that pings and pongs take turns, that fan_in
still gets every item when the workers are slow to start, and that collect_results takes every
result before it joins any worker.
"""

from __future__ import annotations

import functools
import multiprocessing
import operator
import threading

import pytest

from ipc import collect_results, drain, fan_in, offer, ping_pong, pipe_sum

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


@pytest.fixture(params=METHODS)
def ctx(request):
    return multiprocessing.get_context(request.param)


@pytest.fixture(autouse=True)
def stop_leftover_processes():
    """Terminate any process a test leaves running, so a bug cannot hang pytest."""
    before = {p.pid for p in multiprocessing.active_children()}
    yield
    for proc in multiprocessing.active_children():
        if proc.pid not in before:
            proc.terminate()
            proc.join(2)


def call(fn, *args, limit=10.0, **kwargs):
    """Run fn in a helper thread; fail (instead of hanging) if it takes longer than ``limit``."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {limit:g} s: is a process waiting for a "
                    "message that never comes, or did you join() before draining the queue?")
    if "error" in box:
        raise box["error"]
    return box.get("value")


class TestPipeSum:
    def test_sum(self, ctx):
        assert call(pipe_sum, list(range(10)), ctx=ctx) == 45

    def test_no_numbers(self, ctx):
        assert call(pipe_sum, [], ctx=ctx) == 0


class TestFanIn:
    def test_small_items(self, ctx):
        # produce=range: worker i puts the items of range(i), so 4 workers give 0 | 0 1 | 0 1 2.
        assert call(fan_in, range, 4, ctx=ctx) == [0, 0, 0, 1, 1, 2]

    def test_large_items(self, ctx):
        # Worker i produces i strings of 300 kB: more than a pipe can buffer, so the workers can
        # only exit after the parent has read their items.
        produce = functools.partial(operator.mul, ["x" * 300_000])
        items = call(fan_in, produce, 3, ctx=ctx)
        assert len(items) == 3 and all(len(item) == 300_000 for item in items)


class TestPingPong:
    def test_three_rounds(self, ctx):
        assert call(ping_pong, 3, ctx=ctx) == ["ping", "pong"] * 3

    def test_no_rounds(self, ctx):
        assert call(ping_pong, 0, ctx=ctx) == []


class TestCollectResults:
    def test_small_results(self, ctx):
        assert call(collect_results, 3, 10, ctx=ctx) == [b"\x00" * 10, b"\x01" * 10, b"\x02" * 10]

    def test_large_results(self, ctx):
        # 500 kB per result: more than a pipe can buffer, so a worker can only exit after the
        # parent has read its result.
        results = call(collect_results, 3, 500_000, ctx=ctx)
        assert [(r[:1], len(r)) for r in results] == [(bytes([i]), 500_000) for i in range(3)], (
            "expected worker 0's, 1's and 2's result, in that order"
        )
        assert not multiprocessing.active_children(), "join every worker before returning"

    def test_no_workers(self, ctx):
        assert call(collect_results, 0, 10, ctx=ctx) == []


class TestOfferAndDrain:
    def test_offer_never_waits(self):
        q = multiprocessing.get_context(METHODS[0]).Queue(2)
        try:
            got = [call(offer, q, item) for item in ("a", "b", "c")]
            assert got == [True, True, False], "True when the item went in, False at once when the queue is full"
            assert drain(q, 0.5) == ["a", "b"]
        finally:
            q.close()

    def test_drain_right_after_put(self):
        q = multiprocessing.get_context(METHODS[0]).Queue()
        try:
            for item in range(5):
                q.put(item)  # right after a put(), the item may still be in the feeder thread
            assert call(drain, q, 0.5) == [0, 1, 2, 3, 4], "drain must not miss items still on their way"
            assert call(drain, q, 0.1) == [], "a drained queue gives [] after `wait` seconds"
        finally:
            q.close()
