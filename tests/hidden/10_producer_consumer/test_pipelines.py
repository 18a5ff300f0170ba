"""Hidden tests for 10_producer_consumer (module ``pipelines``).

Concurrency is measured, never timed: a Gate holds the called functions until enough of them run
at once and counts the peak in flight; barriers prove consumers overlap; a class-level spy records
how executors were created. A hang (a consumer waiting for a sentinel that never comes) costs a
bounded wait, after which the test unblocks the stuck threads with extra sentinels.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import sys
import threading
import time
from collections import Counter
from concurrent.futures import Future

import pytest

from grader.probes import call_with_timeout, load_student, tasks
from grader.probes.executor_probes import Gate, executor_spy, new_threads, thread_snapshot, tracked_queues, unblock, wait_until

CALL_LIMIT = 10.0  # every correct call here returns in well under 2 s
HANG_LIMIT = 3.0  # a correct run_pipeline returns in < 0.5 s; a stuck one is given up after this
SETTLE = 0.3  # after the expected number of calls is in flight, extra workers get this long to show up


@pytest.fixture
def pipelines():
    return load_student("pipelines")


@pytest.fixture
def queues():
    """Track the student's queue.Queue objects; afterwards, free consumers stuck waiting on them."""
    with tracked_queues() as created:
        yield created
    unblock(created, sentinels=8)


@pytest.fixture(scope="module")
def manager():
    mgr = multiprocessing.get_context("spawn").Manager()
    yield mgr
    mgr.shutdown()


class Recorder:
    """``work`` for run_pipeline: squares, remembering which thread did each item."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.items: list = []

    def __call__(self, x):
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.threads.append(threading.current_thread())
            self.items.append(x)
        return x * x


def slow_items(first, rest, pause):
    """A producer's input that stalls: yields ``first``, waits ``pause`` s, then yields ``rest``."""
    yield from first
    time.sleep(pause)
    yield from rest


def pipeline_call(pipelines, items, work, n_consumers):
    try:
        return call_with_timeout(pipelines.run_pipeline, items, work, n_consumers, timeout=HANG_LIMIT)
    except pytest.fail.Exception:
        pytest.fail(
            f"run_pipeline did not return within {HANG_LIMIT:g} s with {n_consumers} consumer(s): "
            "a consumer is still waiting on the queue. Put one sentinel per consumer, and join them all",
            pytrace=False,
        )


class TestRunPipeline:
    @pytest.mark.parametrize("n_consumers", [1, 3, 5])
    def test_every_item_is_processed(self, pipelines, queues, n_consumers):
        work = Recorder()
        items = list(range(12))
        out = pipeline_call(pipelines, items, work, n_consumers)
        assert out == sorted(x * x for x in items), f"expected the sorted squares of 0..11, got {out!r}"
        assert sorted(work.items) == items, f"work should run once per item, it ran for {sorted(work.items)!r}"
        main = threading.current_thread()
        assert all(t is not main for t in work.threads), "work must run in the consumer threads, not the caller"

    def test_consumers_run_at_the_same_time(self, pipelines, queues):
        n = 3
        barrier = threading.Barrier(n)

        def work(x):
            try:
                barrier.wait(HANG_LIMIT)
            except threading.BrokenBarrierError:
                return None
            return threading.current_thread().name

        out = pipeline_call(pipelines, list(range(2 * n)), work, n)
        assert None not in out and len(out) == 2 * n, (
            f"the {n} consumers were never all busy at the same time (each work() call waited for "
            f"{n} callers at a barrier): start {n} consumer threads before you fill the queue"
        )
        assert len(set(out)) == n, f"expected work to run in {n} different threads, saw {len(set(out))}"

    def test_a_slow_producer_loses_nothing(self, pipelines, queues, monkeypatch):
        # The producer stalls for 0.6 s after two items: consumers must keep waiting for more.
        # A timed get() is cut to 0.05 s here, so a stall outlasts ANY timeout a consumer picks
        # (get(timeout=1) or 5 or 30); a plain get() waits as it always does.
        timed_get = queue.Queue.get

        def get(self, block=True, timeout=None):
            return timed_get(self, block, None if timeout is None else min(timeout, 0.05))

        monkeypatch.setattr(queue.Queue, "get", get)
        work = Recorder()
        items = slow_items([1, 2], [3, 4, 5], pause=0.6)
        out = pipeline_call(pipelines, items, work, 2)
        assert out == [1, 4, 9, 16, 25], (
            f"expected [1, 4, 9, 16, 25], got {out!r}: a consumer must stop only at its sentinel, "
            "never because the queue is empty for a moment (empty(), qsize(), get(timeout) + Empty)"
        )

    def test_returns_after_every_consumer_finished(self, pipelines, queues):
        work = Recorder(delay=0.3)
        out = pipeline_call(pipelines, [1, 2, 3], work, 3)
        running = [t.name for t in set(work.threads) if t.is_alive()]
        assert out == [1, 4, 9], f"expected [1, 4, 9], got {out!r}: join every consumer before returning"
        assert not running, f"consumer thread(s) {running} still running after run_pipeline returned: join them"

    @pytest.mark.parametrize("n_consumers", [2, 4])
    def test_exactly_n_consumers(self, pipelines, queues, n_consumers):
        gate = Gate(hold=CALL_LIMIT)
        box = {}
        items = list(range(1, 2 * n_consumers + 1))
        caller = threading.Thread(target=_store_call, args=(box, pipelines.run_pipeline, items, gate.wrap(abs),
                                                            n_consumers), daemon=True)
        caller.start()
        try:
            reached = gate.wait_in_flight(n_consumers, HANG_LIMIT)
            time.sleep(SETTLE)
            peak = gate.peak
        finally:
            gate.release()
            caller.join(HANG_LIMIT)
        assert not caller.is_alive(), f"run_pipeline with {n_consumers} consumers did not return"
        if "error" in box:
            raise box["error"]
        assert box.get("value") == items, f"expected {items}, got {box.get('value')!r}"
        assert reached and peak == n_consumers, (
            f"run_pipeline(..., n_consumers={n_consumers}) had {peak} work() calls running at the same time: "
            f"start exactly n_consumers consumer threads (and put one sentinel for each)"
        )

    def test_consumers_work_while_the_producer_is_still_producing(self, pipelines, queues):
        first_done = threading.Event()
        waited = []

        def work(x):
            if x == 1:
                first_done.set()
            return x * x

        def items():
            yield 1
            waited.append(first_done.wait(1.5))  # a consumer should take item 1 while we produce
            yield 2

        out = pipeline_call(pipelines, items(), work, 2)
        assert out == [1, 4], f"expected [1, 4], got {out!r}"
        assert waited == [True], (
            "item 1 was not processed while the producer was still producing: start the consumer threads "
            "BEFORE you put the items, so they work while the (maybe slow) producer runs"
        )

    def test_a_failing_producer_still_stops_the_consumers(self, pipelines, queues):
        def items():
            yield 1
            yield 2
            raise RuntimeError("the producer broke")

        before = thread_snapshot()
        with pytest.raises(RuntimeError, match="the producer broke"):
            call_with_timeout(pipelines.run_pipeline, items(), Recorder(), 3, timeout=HANG_LIMIT)
        wait_until(lambda: not new_threads(before), 1.0)
        left = new_threads(before)
        assert not left, (
            f"run_pipeline let the producer's exception through but left {len(left)} consumer thread(s) waiting "
            "for a sentinel: put one sentinel per consumer and join them in a `finally` block"
        )


class TestFetchAll:
    def test_maps_every_url_to_its_result(self, pipelines):
        urls = [f"u{i}" for i in range(6)]
        with executor_spy() as spy:
            out = call_with_timeout(pipelines.fetch_all, urls, str.upper, 3, timeout=CALL_LIMIT)
        assert out == {u: u.upper() for u in urls}, f"expected {{url: fetch(url)}} for every url, got {out!r}"
        pools = spy.of_kind("thread")
        assert pools, "use a concurrent.futures.ThreadPoolExecutor"
        assert all(p.shutdowns for p in pools), (
            "fetch_all returned without shutting its ThreadPoolExecutor down: use a `with` block"
        )

    def test_no_urls(self, pipelines):
        out = call_with_timeout(pipelines.fetch_all, [], str.upper, 4, timeout=CALL_LIMIT)
        assert out == {}, f"fetch_all([], ...) should return {{}}, got {out!r}"

    def test_every_kind_of_exception_is_mapped(self, pipelines):
        urls = ["os", "key", "ok", "zero"]
        out = call_with_timeout(pipelines.fetch_all, urls, _fetch_with_various_errors, 2, timeout=CALL_LIMIT)
        assert isinstance(out, dict) and sorted(out) == sorted(urls), (
            f"every url should be a key of the result, got {out!r}: catch every Exception a fetch raises, "
            "not only ValueError"
        )
        kinds = {u: type(out[u]).__name__ for u in ("os", "key", "zero")}
        assert kinds == {"os": "OSError", "key": "KeyError", "zero": "ZeroDivisionError"}, (
            f"each failing url should map to the exception its fetch raised, got {kinds}"
        )
        assert out["ok"] == "<ok>"

    def test_a_failing_fetch_is_mapped_to_its_exception(self, pipelines):
        urls = ["a", "bad", "c", "d"]
        out = call_with_timeout(pipelines.fetch_all, urls, functools.partial(_fetch_or_fail, "bad"), 2,
                                timeout=CALL_LIMIT)
        assert isinstance(out, dict) and sorted(out) == sorted(urls), (
            f"every url should be a key of the result, got {out!r}: catch each future's exception"
        )
        assert isinstance(out["bad"], ValueError) and str(out["bad"]) == "cannot fetch bad", (
            f"the failing url should map to the ValueError its fetch raised, got {out['bad']!r}"
        )
        assert [out[u] for u in ("a", "c", "d")] == ["<a>", "<c>", "<d>"], "the other urls lost their results"

    @pytest.mark.parametrize(("n_urls", "max_workers"), [(6, 2), (3, 5)])
    def test_at_most_max_workers_fetches_in_flight(self, pipelines, n_urls, max_workers):
        expected = min(n_urls, max_workers)
        gate = Gate(hold=CALL_LIMIT)
        urls = [f"u{i}" for i in range(n_urls)]
        box = {}
        caller = threading.Thread(target=_store_call, args=(box, pipelines.fetch_all, urls, gate.wrap(str.upper),
                                                            max_workers), daemon=True)
        caller.start()
        try:
            reached = gate.wait_in_flight(expected, HANG_LIMIT)
            time.sleep(SETTLE)
            peak = gate.peak
        finally:
            gate.release()
            caller.join(CALL_LIMIT)
        assert not caller.is_alive(), "fetch_all did not return after the fetches were released"
        if "error" in box:
            raise box["error"]
        assert box["value"] == {u: u.upper() for u in urls}, f"wrong result {box['value']!r}"
        assert peak <= max_workers, (
            f"{peak} fetches ran at the same time with max_workers={max_workers}: "
            "pass max_workers to ThreadPoolExecutor"
        )
        assert reached and peak == expected, (
            f"only {peak} fetch(es) ran at the same time, expected {expected}: submit every url before "
            "you wait for any result"
        )

    def test_results_stay_with_their_urls_when_they_finish_out_of_order(self, pipelines):
        # "first" finishes only after "second" has finished: as_completed yields "second" first.
        done = threading.Event()
        fetch = functools.partial(_first_finishes_last, done)
        out = call_with_timeout(pipelines.fetch_all, ["first", "second", "third"], fetch, 2, timeout=CALL_LIMIT)
        assert out == {"first": "<first>", "second": "<second>", "third": "<third>"}, (
            f"results went to the wrong urls: {out!r}. as_completed yields futures in completion order: "
            "look up each future's url in a {future: url} dict"
        )


class Callbacks:
    """on_done for process_map: records what it was called with, where and when."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, int, str]] = []
        self.lock = threading.Lock()

    def __call__(self, arg) -> None:
        with self.lock:
            self.calls.append((arg, os.getpid(), threading.current_thread().name))


class TestProcessMap:
    def test_results_in_order_and_on_done_gets_each_future(self, pipelines, ctx):
        on_done = Callbacks()
        items = [3, 1, 4, 1, 5]
        with executor_spy() as spy:
            out = call_with_timeout(pipelines.process_map, tasks.square, items, on_done, 2, ctx=ctx,
                                    timeout=CALL_LIMIT)
        assert out == [x * x for x in items], f"expected the squares in input order, got {out!r}"
        assert len(on_done.calls) == len(items), (
            f"on_done was called {len(on_done.calls)} time(s) before process_map returned, expected "
            f"{len(items)}: add_done_callback(on_done) on every future, and shut the pool down (with block)"
        )
        args = [arg for arg, _, _ in on_done.calls]
        assert all(isinstance(a, Future) for a in args), (
            f"on_done must receive the Future itself (add_done_callback passes it), got {args[:3]!r}"
        )
        assert sorted(f.result() for f in args) == sorted(out), "on_done got futures of other tasks"
        assert {pid for _, pid, _ in on_done.calls} == {os.getpid()}, "on_done must run in this process"
        pools = spy.of_kind("process")
        assert len(pools) == 1, f"expected one ProcessPoolExecutor, {len(pools)} were created"

    def test_uses_the_given_context_and_max_workers(self, pipelines, ctx, monkeypatch):
        # The machine seems to have 1 CPU, so a pool of the default size has 1 worker, not 3.
        monkeypatch.setattr(os, "cpu_count", lambda: 1)
        if hasattr(os, "process_cpu_count"):
            monkeypatch.setattr(os, "process_cpu_count", lambda: 1)
        with executor_spy() as spy:
            call_with_timeout(pipelines.process_map, tasks.square, [1, 2, 3], Callbacks(), 3, ctx=ctx,
                              timeout=CALL_LIMIT)
        pools = spy.of_kind("process")
        assert pools, "use a concurrent.futures.ProcessPoolExecutor"
        record = pools[0]
        assert record.start_method == ctx.get_start_method(), (
            f"the pool used the {record.start_method!r} start method, not the ctx given "
            f"({ctx.get_start_method()!r}): pass mp_context=ctx"
        )
        assert record.max_workers == 3, (
            f"process_map(..., max_workers=3) made a pool of max_workers={record.max_workers}: pass "
            "max_workers=max_workers to ProcessPoolExecutor (its default follows the CPU count)"
        )
        assert record.shutdowns and record.shutdowns[0] is True, (
            "shut the pool down and wait for it (a with block, or shutdown(wait=True))"
        )

    def test_tasks_run_at_the_same_time(self, pipelines, ctx, manager):
        barrier = manager.Barrier(2)
        func = functools.partial(tasks.rendezvous, barrier, HANG_LIMIT + 1)
        try:
            out = call_with_timeout(pipelines.process_map, func, [2, 3], Callbacks(), 2, ctx=ctx, timeout=CALL_LIMIT)
        except threading.BrokenBarrierError:
            pytest.fail("the two tasks never ran at the same time: submit every item before you call "
                        "result() on any future", pytrace=False)
        assert out == [4, 9]

    def test_a_task_exception_reaches_the_caller(self, pipelines, ctx):
        on_done = Callbacks()
        with pytest.raises(ValueError) as excinfo:
            call_with_timeout(pipelines.process_map, functools.partial(tasks.fail_on, 2), [1, 2, 3], on_done, 2,
                              ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 2", f"expected ValueError('bad item 2'), got {excinfo.value!r}"
        assert len(on_done.calls) == 3, (
            f"on_done should be called for every task, failed ones too, before process_map raises; "
            f"it was called {len(on_done.calls)} time(s)"
        )


    def test_the_first_failure_in_input_order_is_raised(self, pipelines, ctx, manager):
        # Item 1 fails at once; item 0 fails only after it: item 0's error must reach the caller.
        event = manager.Event()
        func = functools.partial(tasks.fail_first_last, event, HANG_LIMIT, 0.3)
        with pytest.raises(ValueError) as excinfo:
            call_with_timeout(pipelines.process_map, func, [0, 1], Callbacks(), 2, ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 0", (
            f"items 0 and 1 both failed, item 1 first; process_map raised {excinfo.value!r}: raise the first "
            "failure in INPUT order (call result() on the futures in the order of the items)"
        )


class PullCounter:
    """Items for map_bounded that record how far the consumer ran ahead of the finished work."""

    def __init__(self, n: int, delay: float) -> None:
        self.n = n
        self.delay = delay
        self.lock = threading.Lock()
        self.finished = 0
        self.ahead = 0  # worst (items taken before this one) - (work calls finished)

    def items(self):
        for i in range(self.n):
            with self.lock:
                self.ahead = max(self.ahead, i - self.finished)
            yield i

    def work(self, x):
        try:
            time.sleep(self.delay)
            return x * 10
        finally:
            with self.lock:
                self.finished += 1


class TestMapBounded:
    def test_results_in_input_order(self, pipelines):
        out = call_with_timeout(pipelines.map_bounded, functools.partial(tasks.sleep_then_square, 0.01),
                                iter(range(10)), 3, timeout=CALL_LIMIT)
        assert out == [x * x for x in range(10)], f"expected the squares of 0..9 in input order, got {out!r}"

    def test_never_runs_ahead_of_the_finished_work(self, pipelines):
        max_pending = 2
        counter = PullCounter(8, delay=0.1)
        out = call_with_timeout(pipelines.map_bounded, counter.work, counter.items(), max_pending, timeout=CALL_LIMIT)
        assert out == [x * 10 for x in range(8)], f"expected [0, 10, ..., 70], got {out!r}"
        assert counter.ahead + 1 <= max_pending, (
            f"an item was taken while {counter.ahead} earlier items were still unfinished, so "
            f"{counter.ahead + 1} items were held at once with max_pending={max_pending}: when max_pending "
            "futures are pending, wait for one to finish BEFORE you take the next item from the iterator"
        )

    def test_none_and_falsy_items_and_results(self, pipelines):
        items = [1, None, 0, "", 5]
        out = call_with_timeout(pipelines.map_bounded, repr, iter(items), 2, timeout=CALL_LIMIT)
        assert out == [repr(x) for x in items], (
            f"expected {[repr(x) for x in items]!r}, got {out!r}: None and 0 are ordinary items; the "
            "iterator ends only when it is exhausted (StopIteration), not at a None or falsy item"
        )
        out = call_with_timeout(pipelines.map_bounded, _none, iter(range(5)), 2, timeout=CALL_LIMIT)
        assert out == [None] * 5, f"work returned None for every item, map_bounded returned {out!r}"

    def test_a_failing_item_raises(self, pipelines):
        with pytest.raises(ValueError, match="bad item 3"):
            call_with_timeout(pipelines.map_bounded, functools.partial(tasks.fail_on, 3), iter(range(6)), 2,
                              timeout=CALL_LIMIT)

    def test_a_free_slot_is_refilled_at_once(self, pipelines):
        # Item 0 only finishes once item 2 has started: with max_pending=2, item 2 must be submitted
        # as soon as item 1 finishes, while item 0 is still running (FIRST_COMPLETED, not ALL_COMPLETED).
        started = threading.Event()
        work = functools.partial(_zero_waits_for_two, started, HANG_LIMIT)
        out = call_with_timeout(pipelines.map_bounded, work, iter(range(4)), 2, timeout=CALL_LIMIT)
        assert out[0] is True, (
            "item 2 did not start while item 0 was still running: after each finished future, submit "
            "the next item right away (wait(..., return_when=FIRST_COMPLETED))"
        )
        assert out == [True, 1, 2, 3], f"expected [True, 1, 2, 3], got {out!r}"

    def test_work_runs_in_other_threads_and_the_pool_is_bounded(self, pipelines):
        gate = Gate(hold=CALL_LIMIT)
        box = {}
        caller = threading.Thread(target=_store_call, args=(box, pipelines.map_bounded, gate.wrap(abs),
                                                            iter(range(-6, 0)), 3), daemon=True)
        caller.start()
        try:
            reached = gate.wait_in_flight(3, HANG_LIMIT)
            time.sleep(SETTLE)
            peak = gate.peak
        finally:
            gate.release()
            caller.join(CALL_LIMIT)
        if "error" in box:
            raise box["error"]
        assert box.get("value") == [6, 5, 4, 3, 2, 1], f"expected [6, 5, 4, 3, 2, 1], got {box.get('value')!r}"
        assert reached and peak == 3, f"expected 3 work calls at the same time with max_pending=3, saw {peak}"


def _store_call(box, fn, *args):
    try:
        box["value"] = fn(*args)
    except BaseException as exc:  # noqa: BLE001 - re-raised by the test
        box["error"] = exc


def _fetch_or_fail(bad, url):
    if url == bad:
        raise ValueError(f"cannot fetch {url}")
    return f"<{url}>"


def _first_finishes_last(done: threading.Event, url):
    if url == "first":
        done.wait(HANG_LIMIT)
        time.sleep(0.3)  # "second" has long been marked done when "first" returns
    elif url == "second":
        done.set()
    return f"<{url}>"


def _zero_waits_for_two(started: threading.Event, limit: float, x):
    if x == 0:
        return started.wait(limit)
    if x == 2:
        started.set()
    return x


def _fetch_with_various_errors(url):
    if url == "os":
        raise OSError("connection reset")
    if url == "key":
        raise KeyError(url)
    if url == "zero":
        return 1 / 0
    return f"<{url}>"


def _none(x):
    return None


# --------------------------------------------------------------------------- drain_with_consumers
# The call runs in a daemon thread joined for at most DRAIN_LIMIT, so a consumer waiting for a sentinel
# that never comes costs a bounded wait and a clear message. A class-level spy on Thread.start records
# every thread the call starts; the items come from generators that pause at gates instead of sleeping:
# until the caller waits in a join() (sentinels put before the last item show up), or until every
# consumer waits in an untimed q.get() (a consumer that stops because the queue looks empty shows up).
DRAIN_LIMIT = 3.0  # a correct drain_with_consumers returns in well under 1 s here; a stuck one is given up after this
PAUSE_LIMIT = 0.5  # longest one gate of the producer waits before it goes on anyway
TIMED_GET = 0.05  # a get(timeout=...) gives up after at most this long during these tests


class Handler:
    """``handle`` for drain_with_consumers: records each call (item, thread); ``hook(item)`` runs first."""

    def __init__(self, hook=None) -> None:
        self.hook = hook
        self.lock = threading.Lock()
        self.calls: list[tuple[object, threading.Thread]] = []

    def __call__(self, item) -> None:
        if self.hook is not None:
            self.hook(item)
        with self.lock:
            self.calls.append((item, threading.current_thread()))

    def items(self) -> list:
        with self.lock:
            return [item for item, _ in self.calls]


class DrainSpy:
    """What one drain_with_consumers call did: the threads it started, who is in an untimed get()."""

    def __init__(self) -> None:
        self.started: list[threading.Thread] = []
        self.in_get: dict[threading.Thread, int] = {}  # thread -> untimed Queue.get calls it is inside
        self.queues: list = []
        self.caller: threading.Thread | None = None  # the thread that calls drain_with_consumers
        self.producer: threading.Thread | None = None  # the thread that iterates over the items
        self.returned = threading.Event()

    def consumers(self) -> list[threading.Thread]:
        return [t for t in self.started if t is not self.caller and t is not self.producer]

    def idle(self) -> bool:
        """Every live queue is empty and every consumer still alive waits in an untimed q.get()."""
        queues = [q for q in (ref() for ref in self.queues) if q is not None]
        if any(q.qsize() for q in queues):
            return False
        return all(self.in_get.get(t, 0) > 0 for t in self.consumers() if t.is_alive())

    def caller_joins(self) -> bool:
        """The caller is inside a join(): Thread.join, or Queue.join."""
        ident = self.caller.ident if self.caller is not None else None
        frame = sys._current_frames().get(ident) if ident is not None else None
        while frame is not None:
            code = frame.f_code
            if code.co_name == "join" and code.co_filename in (threading.__file__, queue.__file__):
                return True
            frame = frame.f_back
        return False


@pytest.fixture
def drain_spy(monkeypatch):
    spy = DrainSpy()
    original_start = threading.Thread.start
    original_get = queue.Queue.get

    def start(self):
        starter = threading.current_thread()
        if starter is spy.caller or starter in spy.started:  # started by the call, directly or not
            spy.started.append(self)
        return original_start(self)

    def get(self, block=True, timeout=None):
        if timeout is not None:  # the producer pauses for longer than any timeout a consumer picks
            return original_get(self, block, min(timeout, TIMED_GET))
        if not block:
            return original_get(self, block)
        me = threading.current_thread()
        spy.in_get[me] = spy.in_get.get(me, 0) + 1
        try:
            return original_get(self)
        finally:
            spy.in_get[me] -= 1

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(queue.Queue, "get", get)
    with tracked_queues() as created:
        spy.queues = created
        yield spy
    for ref in created:  # free consumers that a wrong fix left waiting for a None sentinel
        q = ref()
        for _ in range(8 if q is not None else 0):
            try:
                q.put_nowait(None)
            except Exception:  # noqa: BLE001 - queue.Full, or ShutDown on 3.13+
                break


def paced(spy, items, after_join=False, pauses=False):
    """The items, produced slowly: the first only once the caller waits in a join() (``after_join``),
    each later one only once every consumer is idle in q.get() (``pauses``); no gate waits longer
    than PAUSE_LIMIT."""
    spy.producer = threading.current_thread()
    if after_join and spy.producer is not spy.caller:
        wait_until(spy.caller_joins, PAUSE_LIMIT)
    for i, item in enumerate(items):
        if pauses and i:
            wait_until(spy.idle, PAUSE_LIMIT)
        yield item


def drain(pipelines, spy, items, handle, n_consumers, limit=DRAIN_LIMIT) -> list:
    """Call drain_with_consumers in a daemon thread; return its result, checking that no thread it
    started was alive when it returned; fail clearly on a hang (after ``limit`` s)."""
    box: dict = {}

    def target() -> None:
        try:
            value = pipelines.drain_with_consumers(items, handle, n_consumers)
            box["alive"] = [t for t in spy.started if t.is_alive()]
            box["value"] = list(value) if isinstance(value, (list, tuple)) else value
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc
        finally:
            spy.returned.set()

    spy.caller = threading.Thread(target=target, name="drain-caller", daemon=True)
    spy.caller.start()
    spy.caller.join(limit)
    if spy.caller.is_alive():
        alive = [t for t in spy.consumers() if t.is_alive()]
        waiting = [t for t in alive if spy.in_get.get(t, 0) > 0]
        pytest.fail(
            f"drain_with_consumers(..., n_consumers={n_consumers}) did not return within {limit:g} s: "
            f"{len(alive)} thread(s) it started still run, {len(waiting)} of them waiting in q.get() for an item "
            "that never comes. A consumer stops only when it takes a sentinel: every consumer needs one",
            pytrace=False,
        )
    if "error" in box:
        raise box["error"]
    alive = box["alive"]
    assert not alive, (
        f"drain_with_consumers returned while {len(alive)} thread(s) it started were still running "
        f"({', '.join(sorted(t.name for t in alive))}): join every consumer before returning"
    )
    return box["value"]


def assert_each_once(out, handler, items, n_consumers):
    assert isinstance(out, list), f"drain_with_consumers should return a list, got {type(out).__name__}"
    got, want = Counter(map(_key, out)), Counter(map(_key, items))
    assert got == want, (
        f"with n_consumers={n_consumers}, drain_with_consumers({items!r}) returned {out!r}: every item exactly "
        f"once (in any order); missing {sorted((want - got).elements())}, extra {sorted((got - want).elements())}. "
        "None, 0 and '' are items like any other: a sentinel must be an object no item can be"
    )
    handled = Counter(map(_key, handler.items()))
    assert handled == want, (
        f"handle() was called for {sorted(handled.elements())}, expected each of {sorted(want.elements())} once"
    )


def _key(item) -> str:
    return repr(item)


class TestDrainWithConsumers:
    @pytest.mark.parametrize("n_consumers", [1, 2, 3, 4])
    def test_every_item_exactly_once(self, pipelines, drain_spy, n_consumers):
        items = [5, None, 1, 0, "", 2, 1, 7, 3]
        handler = Handler()
        out = drain(pipelines, drain_spy, items, handler, n_consumers)
        assert_each_once(out, handler, items, n_consumers)
        ran_in = {t for _, t in handler.calls}
        assert drain_spy.caller not in ran_in, "handle() ran in the thread that called drain_with_consumers"
        assert len(ran_in) <= n_consumers, (
            f"handle() ran in {len(ran_in)} different threads with n_consumers={n_consumers}"
        )

    @pytest.mark.parametrize("n_consumers", [2, 4])
    def test_n_consumers_handle_items_at_the_same_time(self, pipelines, drain_spy, n_consumers):
        gate = Gate(hold=DRAIN_LIMIT)
        handler = Handler()
        items = [*range(1, 2 * n_consumers + 1), None]
        box: dict = {}
        tester = threading.Thread(target=_store_call, args=(box, drain, pipelines, drain_spy, items,
                                                            gate.wrap(handler), n_consumers), daemon=True)
        tester.start()
        try:
            reached = gate.wait_in_flight(n_consumers, 2 * PAUSE_LIMIT)
            time.sleep(SETTLE)
            peak = gate.peak
        finally:
            gate.release()
            tester.join(DRAIN_LIMIT + 1)
        if "error" in box:
            raise box["error"]
        assert reached and peak == n_consumers, (
            f"drain_with_consumers(..., n_consumers={n_consumers}) had {peak} handle() call(s) running at the same "
            f"time: start exactly n_consumers consumer threads, all taking items from the one queue"
        )
        assert_each_once(box.get("value"), handler, items, n_consumers)

    def test_sentinels_come_after_the_last_item(self, pipelines, drain_spy):
        # The producer thread yields its first item only once the caller waits in a join(): stop
        # signals put by the caller before it waits for the producer are ahead of every item.
        items = [None, 4, 0, 6, "", 8]
        handler = Handler()
        out = drain(pipelines, drain_spy, paced(drain_spy, items, after_join=True), handler, 3)
        assert_each_once(out, handler, items, 3)

    def test_a_slow_producer_loses_nothing(self, pipelines, drain_spy):
        # The producer pauses before each item after the first until every consumer waits in q.get():
        # the queue is empty then, and a consumer that stops on an empty queue (empty(), qsize(),
        # get(timeout) + Empty) misses what comes next. A timed get gives up after TIMED_GET here; a
        # consumer that polls with it (and a flag saying the producer is done) is slower, not wrong.
        items = [1, None, 2, 0, 3, "", 4]
        handler = Handler()
        limit = DRAIN_LIMIT + len(items) * PAUSE_LIMIT
        out = drain(pipelines, drain_spy, paced(drain_spy, items, pauses=True), handler, 2, limit)
        assert_each_once(out, handler, items, 2)

    def test_returns_only_after_every_consumer_ended(self, pipelines, drain_spy):
        # handle("last") returns only once drain_with_consumers has returned (or PAUSE_LIMIT passed):
        # a call that does not wait for its consumers returns without "last", its consumer still running.
        def hold(item):
            if item == "last":
                drain_spy.returned.wait(PAUSE_LIMIT)

        items = [None, 1, 0, 2, "last"]
        handler = Handler(hook=hold)
        out = drain(pipelines, drain_spy, items, handler, 3)
        assert_each_once(out, handler, items, 3)
