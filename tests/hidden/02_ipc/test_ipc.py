"""Hidden tests for 02_ipc (module ``ipc``).

Every test runs under fork, spawn and forkserver (the ``ctx`` fixture). Parent-side spies
(grader.probes.ipc_probes) make each mistake fail fast and every time:

* the parent's Connection.send/recv calls are recorded, so the tests see that the numbers really
  crossed the pipe and that pings and pongs alternate;
* fan_in's workers put nothing until the parent first touches the queue, so a drain loop that
  stops on ``empty()`` or trusts ``qsize()`` always comes up short;
* a ``join()`` with no timeout is bounded: joining before draining 1 MB items fails after 2 s;
* a parent waiting on a queue or pipe after every child has exited fails at once (the data went
  to another queue object, or to the wrong end of the pipe), and so does a parent waiting, under
  spawn or forkserver, on a queue that was never passed to any child;
* collect_results' workers send 1 MB each (a join before the reads fails after 2 s), a spy records
  any join before the n-th get, and ``ResultWorker`` replaces make_result with workers that wait
  for the parent's first queue call, send late, or die;
* offer and drain get a real queue behind ``nowait_probes.SpyQueue``: a put() that would wait on a
  full queue and a get() with no timeout fail at once, qsize() raises as on macOS, a rival producer
  fills the last slot right after a full() check, and items put just before drain stay in the
  feeder thread until drain first looks (so empty() and get_nowait() always come up short).
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import multiprocessing.queues
import os
import queue
import threading

import pytest

from grader.probes import call_with_timeout, load_student, tasks
from grader.probes.ipc_probes import (
    BigProducer,
    GatedProducer,
    ResultWorker,
    bounded_join,
    connection_log,
    queue_guards,
    result_payload,
)
from grader.probes.nowait_probes import Blocked, Broken, CannotUnpickle, Gated, SpyQueue, take_all

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


#: the start method of the tests that check one behaviour, not the start methods
ONE_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@pytest.fixture
def started_methods(monkeypatch):
    """The start method of every process started in this process during the test."""
    used = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(self):
        used.append(getattr(self, "_start_method", None) or multiprocessing.get_start_method())
        return real_start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    return used


def _check_methods(used, ctx) -> None:
    method = _method(ctx)
    assert used and set(used) == {method}, (
        f"the function was given a {method!r} context but started its processes with "
        f"{sorted(set(used))}: use ctx.Process / ctx.Queue / ctx.Pipe, not multiprocessing.*"
    )


class _DiesOnArrival:
    """Unpickling this object ends the receiving process at once (exit code 3)."""

    def __reduce__(self):
        return (os._exit, (3,))


def _must_not_hang(fn, *args, what: str, raises, **kwargs) -> None:
    """fn(*args) must raise ``raises`` within 5 s; the module's TIMEOUT is 0.5 s."""
    try:
        with pytest.raises(raises):
            call_with_timeout(fn, *args, timeout=5, **kwargs)
    except pytest.fail.Exception as exc:
        if "did not return" not in str(exc):
            raise
        pytest.fail(
            f"{fn.__name__}() waited forever when {what}: never wait without a timeout "
            "(poll(TIMEOUT) / get(timeout=TIMEOUT); the grader sets TIMEOUT to 0.5 s), and close "
            "the parent's copy of the child's Pipe end so that a dead child means EOF",
            pytrace=False,
        )


class TestPipeSum:
    def test_numbers_cross_the_pipe_and_the_sum_comes_back(self, ipc, ctx, started_methods):
        numbers = list(range(-20, 180))
        with connection_log() as log:
            total = call_with_timeout(ipc.pipe_sum, numbers, ctx=ctx, timeout=CALL_LIMIT)
        assert total == sum(numbers), f"[{_method(ctx)}] pipe_sum returned {total!r}, expected {sum(numbers)}"
        _check_methods(started_methods, ctx)
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


    def test_a_child_that_dies_is_not_waited_for_forever(self, ipc, monkeypatch):
        # The child dies when it receives the second message, so no sum ever comes.
        monkeypatch.setattr(ipc, "TIMEOUT", 0.5)
        ctx = multiprocessing.get_context(ONE_METHOD)
        _must_not_hang(ipc.pipe_sum, [1, _DiesOnArrival(), 2], ctx=ctx, what="the child died before answering",
                       raises=(EOFError, OSError, multiprocessing.TimeoutError))


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

    def test_large_items_are_drained_before_join(self, ipc, ctx, monkeypatch, started_methods):
        # Every join() must come after the last worker's None: a join(timeout) before that only
        # "works" because the timeout runs out while the worker is still stuck.
        nones, early_joins = [0], []
        real_get, real_join = multiprocessing.queues.Queue.get, multiprocessing.process.BaseProcess.join

        def get(self, *args, **kwargs):
            item = real_get(self, *args, **kwargs)
            nones[0] += item is None
            return item

        def join(self, timeout=None):
            if nones[0] < 2:
                early_joins.append(timeout)
            return real_join(self, timeout)

        monkeypatch.setattr(multiprocessing.queues.Queue, "get", get)
        monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
        produce = BigProducer(size=1_000_000, count=1)
        with queue_guards(method=_method(ctx)):
            items = call_with_timeout(ipc.fan_in, produce, 2, ctx=ctx, timeout=CALL_LIMIT)
        expected = produce.expected(2)
        assert [len(x) for x in items] == [len(x) for x in expected] and items == expected, (
            f"[{_method(ctx)}] fan_in should return the two 1 MB items, got {len(items)} item(s)"
        )
        assert not early_joins, (
            f"join() was called {len(early_joins)} time(s) (timeouts {early_joins}) before every worker's "
            "None had arrived: drain first, join after. A join with a timeout before draining just "
            "waits out the timeout while the worker is stuck on its unread item"
        )
        _check_methods(started_methods, ctx)

    def test_a_failing_worker_is_not_waited_for_forever(self, ipc, monkeypatch):
        # produce(0) raises, so worker 0 never puts its None.
        monkeypatch.setattr(ipc, "TIMEOUT", 0.5)
        ctx = multiprocessing.get_context(ONE_METHOD)
        _must_not_hang(ipc.fan_in, functools.partial(tasks.fail_on, 0), 1, ctx=ctx,
                       what="a worker died without sending its None", raises=queue.Empty)


class TestPingPong:
    def test_strict_turns(self, ipc, ctx, started_methods):
        rounds = 6
        with connection_log() as log:
            transcript = call_with_timeout(ipc.ping_pong, rounds, ctx=ctx, timeout=CALL_LIMIT)
        assert transcript == ["ping", "pong"] * rounds, (
            f"[{_method(ctx)}] expected ['ping', 'pong'] * {rounds}, got {transcript!r}"
        )
        _check_methods(started_methods, ctx)
        ops = log.ops()
        expected_ops = [("send", "ping"), ("recv", "pong")] * rounds
        assert ops == expected_ops, (
            "the parent should send 'ping', then receive the child's 'pong', and only then send the "
            f"next ping; its pipe calls were {ops[:6]!r}..."
        )
        assert len(log.connections()) == 1, "the parent should send and receive on one end of one Pipe"

    def test_the_child_answers_only_after_each_ping(self, ipc, monkeypatch):
        # Before each ping after the first, the parent looks (0.1 s) for a pong nobody asked for yet.
        ctx = multiprocessing.get_context(ONE_METHOD)
        owner, unasked, pings = os.getpid(), [], [0]
        real_send = multiprocessing.connection._ConnectionBase.send

        def send(self, obj):
            if os.getpid() == owner and obj == "ping":
                if pings[0] and self.poll(0.1):
                    unasked.append(pings[0])
                pings[0] += 1
            return real_send(self, obj)

        monkeypatch.setattr(multiprocessing.connection._ConnectionBase, "send", send)
        transcript = call_with_timeout(ipc.ping_pong, 4, ctx=ctx, timeout=CALL_LIMIT)
        assert transcript == ["ping", "pong"] * 4, f"expected ['ping', 'pong'] * 4, got {transcript!r}"
        assert not unasked, (
            f"a 'pong' was already waiting before ping number {unasked[0] + 1} was sent: the child "
            "must recv() each 'ping' first and only then send its 'pong'"
        )

    def test_the_child_is_joined_before_returning(self, ipc, joins):
        # Every child must be joined, and be finished after its join, before ping_pong returns
        # (whether the child happens to have exited is luck).
        ctx = multiprocessing.get_context(ONE_METHOD)
        started, finished = joins
        transcript = call_with_timeout(ipc.ping_pong, 3, ctx=ctx, timeout=CALL_LIMIT)
        assert transcript == ["ping", "pong"] * 3, f"expected ['ping', 'pong'] * 3, got {transcript!r}"
        assert started, "ping_pong should start a child process with ctx.Process(target=pong, ...)"
        not_joined = [proc for proc in started if id(proc) not in finished]
        assert not not_joined, (
            f"ping_pong returned without join()ing its child ({not_joined[0].name}): a child that "
            "is not joined may still be running (and is never reaped). join() it before returning"
        )

    def test_zero_and_one_round(self, ipc, ctx):
        with connection_log():
            assert call_with_timeout(ipc.ping_pong, 0, ctx=ctx, timeout=CALL_LIMIT) == []
            assert call_with_timeout(ipc.ping_pong, 1, ctx=ctx, timeout=CALL_LIMIT) == ["ping", "pong"]


# --------------------------------------------------------------------------- collect_results
#: bytes per result: far more than a pipe holds (64 KiB on Linux), so a worker cannot exit until it is read
BIG = 1_000_000

_JOIN_HINT = "its result was still on the queue, unread: take all n results off the queue first, then join() the workers"


def _expected(n: int, size: int) -> list[bytes]:
    return [result_payload(i, size) for i in range(n)]


def _summary(results) -> str:
    """What collect_results returned, without a megabyte of bytes: [b'\\x00'*1000000, ...]."""
    if not isinstance(results, list):
        return f"a {type(results).__name__}"
    shown = [f"b{bytes(r[:1])!r}*{len(r)}" if isinstance(r, (bytes, bytearray)) else repr(r)[:40]
             for r in results[:6]]
    return "[" + ", ".join(shown) + (", ...]" if len(results) > 6 else "]")


@pytest.fixture
def joins(monkeypatch):
    """The processes this process starts during the test, and those a join() saw finished."""
    owner, started, finished = os.getpid(), [], set()
    real_start, real_join = multiprocessing.process.BaseProcess.start, multiprocessing.process.BaseProcess.join

    def start(self):
        if os.getpid() == owner:
            started.append(self)
        return real_start(self)

    def join(self, timeout=None):
        result = real_join(self, timeout)
        if os.getpid() == owner and self.exitcode is not None:
            finished.add(id(self))
        return result

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
    return started, finished


def _check_all_joined(joins, method: str) -> None:
    started, finished = joins
    assert started, f"[{method}] collect_results() should start its workers with ctx.Process(target=make_result, ...)"
    not_joined = [proc for proc in started if id(proc) not in finished]
    assert not not_joined, (
        f"[{method}] collect_results() returned without join()ing {len(not_joined)} of its {len(started)} "
        "workers: a worker that is not joined may still be running, and is never reaped. join() every "
        "worker after taking the results"
    )


class TestCollectResults:
    def test_large_results_come_back_without_a_hang(self, ipc, ctx):
        # Three workers send 1 MB each: joining any of them before its result is read waits forever
        # (here: a join() without timeout fails after 2 s).
        method = _method(ctx)
        with bounded_join(2.0, _JOIN_HINT):
            results = call_with_timeout(ipc.collect_results, 3, BIG, ctx=ctx, timeout=CALL_LIMIT)
            empty = call_with_timeout(ipc.collect_results, 0, BIG, ctx=ctx, timeout=CALL_LIMIT)
        assert results == _expected(3, BIG), (
            f"[{method}] collect_results(3, {BIG}) returned {_summary(results)}, expected "
            f"{_summary(_expected(3, BIG))}: every worker's result, ordered by worker index"
        )
        assert empty == [], f"[{method}] collect_results(0, size) returned {_summary(empty)}, expected []"

    def test_every_result_is_taken_before_any_join(self, ipc, ctx, monkeypatch, joins):
        # A join() before the n-th result was taken is recorded and returns at once (waiting there
        # could only end by a timeout, with the worker stuck on its unread result).
        method, n = _method(ctx), 3
        owner, taken, early = os.getpid(), [0], []
        spied_get, spied_join = multiprocessing.queues.Queue.get, multiprocessing.process.BaseProcess.join

        def get(self, *args, **kwargs):
            item = spied_get(self, *args, **kwargs)
            if os.getpid() == owner:
                taken[0] += 1
            return item

        def join(self, timeout=None):
            if os.getpid() == owner and taken[0] < n:
                early.append(timeout)
                return spied_join(self, 0)
            return spied_join(self, timeout)

        monkeypatch.setattr(multiprocessing.queues.Queue, "get", get)
        monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
        results = call_with_timeout(ipc.collect_results, n, BIG, ctx=ctx, timeout=CALL_LIMIT)
        assert not early, (
            f"[{method}] join() was called {len(early)} time(s) (timeouts {early}) before all {n} results "
            "had been taken off the queue: a worker cannot exit while its result is unread, so that join "
            "waits forever, or waits out its timeout. Take every result first, then join"
        )
        assert results == _expected(n, BIG), (
            f"[{method}] collect_results({n}, {BIG}) returned {_summary(results)}, expected "
            f"{_summary(_expected(n, BIG))}"
        )
        _check_all_joined(joins, method)
        used = {getattr(p, "_start_method", None) or multiprocessing.get_start_method() for p in joins[0]}
        assert used == {method}, (
            f"collect_results() was given a {method!r} context but started its workers with {sorted(used)}: "
            "use ctx.Process and ctx.Queue"
        )

    def test_results_come_back_in_worker_order_however_late(self, ipc, ctx, manager, monkeypatch):
        # The workers send nothing before the parent first touches the queue, then worker 0 sends
        # 0.8 s after the others: the results arrive as 1, 2, 3, 0.
        method, n, size = _method(ctx), 4, 200_000
        gate = manager.Event()
        monkeypatch.setattr(ipc, "make_result", ResultWorker(gate, delays={0: 0.8}))
        with queue_guards(gate, method, join_hint=_JOIN_HINT) as guards:
            results = call_with_timeout(ipc.collect_results, n, size, ctx=ctx, timeout=CALL_LIMIT)
        expected = _expected(n, size)
        count = len(results) if isinstance(results, list) else 0
        if guards.gate_opened_by in ("empty", "qsize", "full") and count < n:
            pytest.fail(
                f"[{method}] collect_results returned {count} of {n} results: it asked the queue "
                f"{guards.gate_opened_by}() before the workers had sent anything, and stopped. empty() and "
                "qsize() only say what is there NOW; take exactly n results, each with get(timeout=TIMEOUT)",
                pytrace=False,
            )
        assert count == n, (
            f"[{method}] collect_results returned {count} of {n} results ({_summary(results)}) when worker 0 "
            "sends 0.8 s after the others: wait up to TIMEOUT for each of the n results, and never drop one "
            "that is late"
        )
        assert results == expected, (
            f"[{method}] collect_results returned {_summary(results)}, expected {_summary(expected)}: the "
            "results arrive in any order (here worker 0's last); order them by the worker index i they come with"
        )

    def test_a_worker_that_dies_is_not_waited_for_forever(self, ipc, monkeypatch, joins):
        # Worker 1 dies without sending anything; workers 0 and 2 send 1 MB each. TIMEOUT is 1.5 s,
        # ample for the two results that do come.
        monkeypatch.setattr(ipc, "TIMEOUT", 1.5)
        monkeypatch.setattr(ipc, "make_result", ResultWorker(dies=(1,)))
        ctx = multiprocessing.get_context(ONE_METHOD)
        with bounded_join(2.0, _JOIN_HINT):
            try:
                with pytest.raises(queue.Empty):
                    call_with_timeout(ipc.collect_results, 3, BIG, ctx=ctx, timeout=8)
            except pytest.fail.Exception as exc:
                if "did not return" in str(exc):
                    pytest.fail(
                        "collect_results() waited forever when a worker died without sending its result: "
                        "take each result with get(timeout=TIMEOUT) (the grader sets TIMEOUT to 1.5 s), so "
                        "that queue.Empty ends the wait",
                        pytrace=False,
                    )
                if "DID NOT RAISE" in str(exc):
                    pytest.fail(
                        "collect_results() returned although worker 1 died without sending its result: let "
                        "the queue.Empty of get(timeout=TIMEOUT) propagate (after joining the workers), "
                        "never return fewer than n results",
                        pytrace=False,
                    )
                raise
        _check_all_joined(joins, ONE_METHOD)


# --------------------------------------------------------------------------- offer_and_drain
def _one_queue(maxsize=0):
    return multiprocessing.get_context(ONE_METHOD).Queue(maxsize)


def _explain(exc: BaseException, fn: str) -> str:
    """What a student's call that raised did wrong, in one line."""
    if isinstance(exc, Blocked):
        return (f"{fn} made a call that waits: {exc}. Use put_nowait() (it raises queue.Full instead of waiting)"
                if fn == "offer" else
                f"{fn} made a call that waits: {exc}. Give every get() a timeout, or it waits for ever for "
                "an item that may never come")
    if isinstance(exc, NotImplementedError):
        return (f"{fn} called qsize(), which raises NotImplementedError on macOS (as here): ask the queue "
                "itself instead (put_nowait() / get(timeout=...) and the exception they raise)")
    return f"{fn} raised {type(exc).__name__}: {exc}"


def _offer(ipc, spy, item):
    try:
        return "returned", call_with_timeout(ipc.offer, spy, item, timeout=CALL_LIMIT)
    except Blocked as exc:
        return "raised", exc
    except Exception as exc:  # noqa: BLE001 - reported by the test
        return "raised", exc


class TestOfferAndDrain:
    def test_offer_puts_while_there_is_room_and_drops_when_full(self, ipc):
        real = _one_queue(2)
        spy = SpyQueue(real)
        try:
            outcomes = [_offer(ipc, spy, item) for item in ("a", "b", "c")]
            held = take_all(real)
        finally:
            real.close()
        assert not spy.blocked, _explain(Blocked(spy.blocked[0]), "offer") if spy.blocked else ""
        for kind, value in outcomes:
            if kind == "raised":
                pytest.fail(f"on a queue of maxsize 2, {_explain(value, 'offer')}", pytrace=False)
        got = [value for _, value in outcomes]
        assert got == [True, True, False], (
            f"offer of 'a', 'b', 'c' on an empty queue of maxsize 2 returned {got}, expected [True, True, False]: "
            "True when the item went in, False (at once) when the queue is full"
        )
        assert held == ["a", "b"], f"after offer of 'a', 'b', 'c' on a queue of maxsize 2, the queue held {held}"

    def test_offer_never_waits_when_another_producer_fills_the_queue(self, ipc):
        real = _one_queue(2)
        real.put("first")
        spy = SpyQueue(real, rival="rival")  # the last slot goes to a rival right after full() says False
        try:
            kind, value = _offer(ipc, spy, "mine")
            held = take_all(real)
        finally:
            real.close()
        assert not spy.blocked, (
            "offer asked full(), got False, and then waited in put() because another producer had filled the last "
            "slot in between: full() is out of date as soon as it answers. Use put_nowait() and catch queue.Full"
        )
        if kind == "raised":
            pytest.fail(
                f"on a queue another producer filled at the same moment, {_explain(value, 'offer')}: a full queue "
                "means False, whatever the moment it filled up", pytrace=False)
        assert value is ("mine" in held), (
            f"offer returned {value!r} but the queue then held {held}: return True exactly when the item went in"
        )

    def test_offer_on_a_closed_queue_raises(self, ipc):
        real = _one_queue(2)
        real.close()
        kind, value = _offer(ipc, SpyQueue(real), "item")
        assert kind == "raised" and isinstance(value, ValueError), (
            f"offer on a closed queue {'returned ' + repr(value) if kind == 'returned' else _explain(value, 'offer')}, "
            "expected the ValueError put_nowait() raises: catch only queue.Full, so that a real error is not "
            "taken for a full queue"
        )

    def test_drain_takes_the_items_still_on_their_way(self, ipc):
        gate = threading.Event()
        real = _one_queue()
        for value in range(1, 6):
            real.put(Gated(value, gate))  # the feeder thread sends them only once drain first reads
        spy = SpyQueue(real, gate=gate)
        try:
            got = call_with_timeout(ipc.drain, spy, 1.0, timeout=CALL_LIMIT + 5)
        except (Blocked, NotImplementedError) as exc:
            pytest.fail(_explain(exc, "drain"), pytrace=False)
        finally:
            gate.set()
            real.close()
        assert got == [1, 2, 3, 4, 5], (
            f"5 items were put on the queue just before drain(q, 1.0), and it returned {got}: put() returns before "
            "the queue's feeder thread has sent the item, so empty() and get_nowait() can say 'empty' while items "
            f"are on their way (calls: {', '.join(spy.calls[:4])}). Wait for each next item with get(timeout=wait)"
        )

    def test_drain_waits_up_to_wait_for_the_next_item(self, ipc):
        real = _one_queue()
        real.put(1)
        real.put(2)
        spy = SpyQueue(real)

        def late_producer():
            if spy.read_event.wait(CALL_LIMIT):
                threading.Event().wait(0.3)  # the third item comes 0.3 s after drain starts reading
                real.put(3)

        producer = threading.Thread(target=late_producer, daemon=True)
        producer.start()
        try:
            got = call_with_timeout(ipc.drain, spy, 2.0, timeout=CALL_LIMIT + 5)
        except (Blocked, NotImplementedError) as exc:
            pytest.fail(_explain(exc, "drain"), pytrace=False)
        finally:
            producer.join(CALL_LIMIT)
            real.close()
        assert got == [1, 2, 3], (
            f"drain(q, wait=2.0) returned {got}, but a third item came 0.3 s after it started: wait up to `wait` "
            "seconds for each next item before deciding there is none"
        )

    def test_drain_of_an_empty_queue_returns_after_wait(self, ipc):
        real = _one_queue()
        spy = SpyQueue(real)
        try:
            got = call_with_timeout(ipc.drain, spy, 0.2, timeout=CALL_LIMIT)
        except (Blocked, NotImplementedError) as exc:
            pytest.fail(_explain(exc, "drain"), pytrace=False)
        finally:
            real.close()
        assert got == [], f"drain(q, 0.2) of a queue nobody puts on returned {got!r}, expected []"

    def test_drain_raises_for_an_item_it_cannot_take(self, ipc):
        real = _one_queue()
        real.put(1)
        real.put(Broken())
        real.put(3)
        spy = SpyQueue(real)
        try:
            kind, value = "returned", call_with_timeout(ipc.drain, spy, 1.0, timeout=CALL_LIMIT + 5)
        except (Blocked, NotImplementedError) as exc:
            pytest.fail(_explain(exc, "drain"), pytrace=False)
        except Exception as exc:  # noqa: BLE001 - inspected below
            kind, value = "raised", exc
        finally:
            real.close()
        assert kind == "raised" and isinstance(value, CannotUnpickle), (
            f"the second of 3 items cannot be unpickled (get() raises CannotUnpickle), and drain "
            f"{'returned ' + repr(value) if kind == 'returned' else 'raised ' + repr(value)}: catch only queue.Empty, "
            "so that a real error is raised instead of a list that silently lacks an item"
        )
