"""Hidden tests for 04_pool (module ``pools``).

Every Pool test runs under fork, spawn and forkserver (the ``ctx`` fixture) with a class-level
spy on Pool.close/join/terminate. Overlap is proven with a rendezvous barrier, incremental
consumption with an Event the last task waits for, and a hang (a mutant that never gives up)
costs a bounded wait, never the per-test timeout.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import multiprocessing.pool
import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student, tasks
from grader.probes.pool_spy import pool_spy

CALL_LIMIT = 15.0  # backstop for calls that finish in well under 2 s when correct
BARRIER_WAIT = 5.0  # the correct solution meets the barrier in ~0.01-0.5 s (spawn, loaded box)


@pytest.fixture
def pools():
    return load_student("pools")


@pytest.fixture(scope="module")
def manager():
    """One Manager for the module: Barrier and Event proxies pickle into every start method."""
    mgr = multiprocessing.get_context("spawn").Manager()
    yield mgr
    mgr.shutdown()


@pytest.fixture(autouse=True)
def _stop_abandoned_pools():
    """After a test, terminate pools that were closed but are still working.

    A submission that hangs in ``join()`` (it never terminated a pool whose tasks sleep) is
    abandoned by the bounded wait. Terminating the pool itself ends it cleanly; killing its
    workers one by one would only make the pool start new ones. Pools still in RUN state are
    left to the plugin, which reports them as leaked.
    """
    yield
    for obj in gc.get_objects():
        if isinstance(obj, multiprocessing.pool.Pool) and obj._state == multiprocessing.pool.CLOSE:
            if any(p.exitcode is None for p in obj._pool):
                obj.terminate()


#: the start method of the tests that check one behaviour, not the start methods
ONE_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@pytest.fixture
def pool_sizes(monkeypatch):
    """Record (processes, start method) of every Pool created; the host looks like 7 CPUs.

    With a fake CPU count, a pool sized by os.cpu_count() (``ctx.Pool()``) has 7 workers on every
    machine, never by chance the 2 the test asks for.
    """
    made = []
    real_init = multiprocessing.pool.Pool.__init__

    def init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append((self._processes, self._ctx.get_start_method()))

    monkeypatch.setattr(os, "cpu_count", lambda: 7)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 7, raising=False)
    monkeypatch.setattr(multiprocessing.pool.Pool, "__init__", init)
    return made


def _check_pool(made, processes, ctx) -> None:
    method = ctx.get_start_method()
    assert made, "no multiprocessing Pool was created"
    assert made == [(processes, method)], (
        f"expected one pool of {processes} workers started with {method!r} (ctx.Pool(processes)), "
        f"got {made!r} as (workers, start method): use the `processes` and `ctx` you were given"
    )


def _lifecycle(spy, **kwargs) -> str:
    problems = spy.problems(**kwargs)
    return "; ".join(problems)


class _Collector:
    """on_result for imap_in_order: records calls; the call for result 0 sets ``event``."""

    def __init__(self, event=None):
        self.calls = []
        self.event = event

    def __call__(self, i, r):
        self.calls.append((i, r))
        if i == 0 and self.event is not None:
            self.event.set()


class TestParallelApply:
    def test_results_in_input_order_and_close_before_join(self, pools, ctx, pool_sizes):
        items = list(range(8))
        with pool_spy() as spy:
            out = call_with_timeout(pools.parallel_apply, tasks.square, items, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out == [x * x for x in items], "parallel_apply must return func(x) for every item, in input order"
        _check_pool(pool_sizes, 2, ctx)
        assert not _lifecycle(spy), _lifecycle(spy)
        assert len(spy.async_calls) == len(items), (
            f"expected one apply_async call per item ({len(items)}), saw {len(spy.async_calls)}"
        )

    def test_args_are_passed_as_a_one_element_tuple(self, pools, ctx):
        items = [3, 5]
        with pool_spy() as spy:
            call_with_timeout(pools.parallel_apply, tasks.square, items, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        args = [call["args"] for call in spy.async_calls]
        ok = all(isinstance(a, (tuple, list)) and tuple(a) == (x,) for a, x in zip(args, items))
        assert ok and len(args) == len(items), f"apply_async should get args=(x,) for each item, got {args!r}"

    def test_tasks_run_at_the_same_time(self, pools, ctx, manager):
        processes = 3
        barrier = manager.Barrier(processes)
        func = functools.partial(tasks.rendezvous, barrier, BARRIER_WAIT)
        with pool_spy() as spy:
            try:
                out = call_with_timeout(
                    pools.parallel_apply, func, range(processes), processes=processes, ctx=ctx, timeout=BARRIER_WAIT + 10
                )
            except threading.BrokenBarrierError:
                pytest.fail(
                    f"the {processes} tasks were never running at the same time (each waited "
                    f"{BARRIER_WAIT:g} s for the others): submit every task with apply_async "
                    "before you call get() on any result, and use `processes` workers",
                    pytrace=False,
                )
        assert out == [x * x for x in range(processes)]
        assert not _lifecycle(spy), _lifecycle(spy)

    def test_worker_exception_reaches_the_caller(self, pools, ctx):
        func = functools.partial(tasks.fail_on, 2)
        with pool_spy() as spy:
            with pytest.raises(ValueError) as excinfo:
                call_with_timeout(pools.parallel_apply, func, range(5), processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 2", (
            f"the worker raised ValueError('bad item 2'), the caller got {excinfo.value!r}"
        )
        assert not _lifecycle(spy), _lifecycle(spy)

    def test_the_first_error_in_input_order_wins(self, pools, manager):
        # Every item fails; item 0 fails last, after the others' errors have arrived.
        ctx = multiprocessing.get_context(ONE_METHOD)
        func = functools.partial(tasks.fail_first_last, manager.Event(), 5.0, 0.3)
        with pool_spy() as spy:
            with pytest.raises(ValueError) as excinfo:
                call_with_timeout(pools.parallel_apply, func, [0, 1, 2], processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 0", (
            f"items 0, 1 and 2 all failed and item 0 failed last; the caller should get item 0's "
            f"error (the first in input order, from results[0].get()), got {excinfo.value!r}"
        )
        assert not _lifecycle(spy), _lifecycle(spy)


class TestApplyWithCallbacks:
    def test_results_and_errors_by_item(self, pools, ctx):
        func = functools.partial(tasks.fail_on, 3)
        items = list(range(6))
        with pool_spy() as spy:
            results, errors = call_with_timeout(
                pools.apply_with_callbacks, func, items, processes=2, ctx=ctx, timeout=CALL_LIMIT
            )
        assert not _lifecycle(spy), _lifecycle(spy)
        assert results == {x: x * x for x in items if x != 3}, (
            f"results should map every successful item to func(item), got {results!r}"
        )
        assert list(errors) == [3], (
            f"errors should hold exactly the failing item 3, got keys {sorted(errors)!r}: "
            "pass error_callback to apply_async, or a task's exception is lost"
        )
        exc = errors[3]
        assert isinstance(exc, ValueError) and str(exc) == "bad item 3", (
            f"errors[3] should be the ValueError('bad item 3') the task raised, got {exc!r}"
        )

    def test_every_call_has_callback_and_error_callback(self, pools, ctx, pool_sizes):
        items = [1, 2, 3]
        with pool_spy() as spy:
            results, errors = call_with_timeout(
                pools.apply_with_callbacks, tasks.square, items, processes=2, ctx=ctx, timeout=CALL_LIMIT
            )
        assert not _lifecycle(spy), _lifecycle(spy)
        _check_pool(pool_sizes, 2, ctx)
        assert results == {1: 1, 2: 4, 3: 9} and errors == {}, (
            f"with no failures expected ({{1: 1, 2: 4, 3: 9}}, {{}}), got ({results!r}, {errors!r})"
        )
        assert len(spy.async_calls) == len(items), "use one apply_async call per item"
        for call in spy.async_calls:
            assert call["callback"] is not None, "every apply_async call needs callback="
            assert call["error_callback"] is not None, "every apply_async call needs error_callback="


    def test_results_are_matched_to_items_not_to_arrival_order(self, pools, manager):
        # Item 0 finishes last, after the submitting loop has ended.
        ctx = multiprocessing.get_context(ONE_METHOD)
        func = functools.partial(tasks.finish_first_last, manager.Event(), 5.0, 0.3)
        items = [0, 1, 2, 3]
        with pool_spy() as spy:
            results, errors = call_with_timeout(
                pools.apply_with_callbacks, func, items, processes=2, ctx=ctx, timeout=CALL_LIMIT
            )
        assert (results, errors) == ({0: 0, 1: 1, 2: 4, 3: 9}, {}), (
            "item 0 finished last; expected ({0: 0, 1: 1, 2: 4, 3: 9}, {}), got "
            f"({results!r}, {errors!r}): bind each item to its own callback with "
            "functools.partial(results.__setitem__, x) (a lambda reads x when it RUNS, and values "
            "arrive in completion order, not input order)"
        )
        assert not _lifecycle(spy), _lifecycle(spy)


class TestMapWithDeadline:
    def test_in_time_returns_the_results(self, pools, ctx, pool_sizes):
        items = list(range(6))
        with pool_spy() as spy:
            out = call_with_timeout(pools.map_with_deadline, tasks.square, items, 10.0, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out == [x * x for x in items]
        assert not _lifecycle(spy), _lifecycle(spy)
        _check_pool(pool_sizes, 2, ctx)

    def test_the_deadline_is_for_the_whole_map(self, pools):
        # One worker, four tasks of 0.3 s: 1.2 s in all, but each single result is 0.3 s apart.
        ctx = multiprocessing.get_context(ONE_METHOD)
        func = functools.partial(tasks.sleep_then_square, 0.3)
        with pool_spy(forbid_pending_terminate=False):
            with pytest.raises(Exception) as excinfo:
                call_with_timeout(pools.map_with_deadline, func, [1, 2, 3, 4], 0.8, processes=1, ctx=ctx, timeout=CALL_LIMIT)
        assert excinfo.type is multiprocessing.TimeoutError, (
            "4 tasks of 0.3 s on 1 worker take 1.2 s, more than the 0.8 s deadline: expected "
            f"multiprocessing.TimeoutError, got {excinfo.type.__name__}: {excinfo.value}. The timeout "
            "is for the whole map (map_async(...).get(timeout)), not for each result"
        )

    def test_a_failing_task_raises_and_the_pool_is_shut_down(self, pools, ctx):
        before = {p.pid for p in multiprocessing.active_children()}
        func = functools.partial(tasks.fail_on, 1)
        with pool_spy(forbid_pending_terminate=False) as spy:
            with pytest.raises(ValueError) as excinfo:
                call_with_timeout(pools.map_with_deadline, func, [0, 1, 2], 10.0, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 1", f"expected ValueError('bad item 1'), got {excinfo.value!r}"
        methods = spy.methods()
        assert "join" in methods and ("close" in methods or "terminate" in methods), (
            f"a task raised and the pool was left running (its calls: {methods}): close() or "
            "terminate() it and join() it on every way out (try/finally), then let the error propagate"
        )
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"{len(left)} worker process(es) still running after map_with_deadline raised"

    def test_too_slow_raises_and_terminates(self, pools, ctx):
        deadline = 0.5
        limit = 4.0  # the correct solution raises after ~0.5-1.5 s
        before = {p.pid for p in multiprocessing.active_children()}
        func = functools.partial(tasks.sleep_then_square, 30.0)
        with pool_spy(forbid_pending_terminate=False) as spy:
            start = time.monotonic()
            with pytest.raises(Exception) as excinfo:
                call_with_timeout(pools.map_with_deadline, func, [1, 2], deadline, processes=2, ctx=ctx, timeout=limit)
            elapsed = time.monotonic() - start
        assert excinfo.type is multiprocessing.TimeoutError, (
            f"expected multiprocessing.TimeoutError after the {deadline:g} s deadline, got "
            f"{excinfo.type.__name__}: {excinfo.value}"
        )
        assert elapsed < limit, f"raising took {elapsed:.1f} s for a {deadline:g} s deadline"
        assert "terminate" in spy.methods(), (
            "the pool was not terminate()d after the deadline: its workers keep running the slow tasks"
        )
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"{len(left)} worker process(es) still running after map_with_deadline raised: join() the pool"


class TestImapInOrder:
    def test_each_result_is_reported_before_the_last_task_ends(self, pools, ctx, manager):
        event = manager.Event()
        wait = 3.0  # the last task waits this long at most for on_result(0, ...)
        func = functools.partial(tasks.wait_for_event, event, wait, 2)
        on_result = _Collector(event)
        with pool_spy() as spy:
            out = call_with_timeout(pools.imap_in_order, func, [0, 1, 2], on_result, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out[:2] == [0, 1], f"expected results [0, 1, ...], got {out!r}"
        assert out[2] is True, (
            "on_result(0, ...) was not called while the last task was still running: "
            "call it inside the loop over pool.imap(...), as each result arrives (map() waits for all)"
        )
        assert on_result.calls == [(0, 0), (1, 1), (2, True)], (
            f"on_result should be called as (index, result) in input order, got {on_result.calls!r}"
        )
        assert not _lifecycle(spy), _lifecycle(spy)

    def test_a_failing_task_raises_and_the_pool_is_shut_down(self, pools, ctx):
        before = {p.pid for p in multiprocessing.active_children()}
        func = functools.partial(tasks.fail_on, 1)
        on_result = _Collector()
        with pool_spy(forbid_pending_terminate=False) as spy:
            with pytest.raises(ValueError) as excinfo:
                call_with_timeout(pools.imap_in_order, func, [0, 1, 2], on_result, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert str(excinfo.value) == "bad item 1", f"expected ValueError('bad item 1'), got {excinfo.value!r}"
        assert on_result.calls == [(0, 0)], f"on_result should have been called for item 0 only, got {on_result.calls!r}"
        methods = spy.methods()
        assert "join" in methods and ("close" in methods or "terminate" in methods), (
            f"a task raised and the pool was left running (its calls: {methods}): close() or "
            "terminate() it and join() it on every way out (try/finally), then let the error propagate"
        )
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"{len(left)} worker process(es) still running after imap_in_order raised"

    def test_results_come_in_input_order(self, pools, ctx, manager, pool_sizes):
        event = manager.Event()
        # Item 0 finishes only after another item has finished: completion order is not input order.
        func = functools.partial(tasks.finish_first_last, event, 5.0, 0.3)
        items = [0, 1, 2, 3]
        on_result = _Collector()
        with pool_spy() as spy:
            out = call_with_timeout(pools.imap_in_order, func, items, on_result, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        expected = [x * x for x in items]
        assert on_result.calls == list(enumerate(expected)), (
            f"on_result calls should be {list(enumerate(expected))!r} (input order), got {on_result.calls!r}: "
            "use imap, not imap_unordered"
        )
        assert out == expected, f"expected {expected!r}, got {out!r}"
        assert not _lifecycle(spy), _lifecycle(spy)
        _check_pool(pool_sizes, 2, ctx)
