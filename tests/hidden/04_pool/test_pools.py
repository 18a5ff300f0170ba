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
    def test_results_in_input_order_and_close_before_join(self, pools, ctx):
        items = list(range(8))
        with pool_spy() as spy:
            out = call_with_timeout(pools.parallel_apply, tasks.square, items, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out == [x * x for x in items], "parallel_apply must return func(x) for every item, in input order"
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

    def test_every_call_has_callback_and_error_callback(self, pools, ctx):
        items = [1, 2, 3]
        with pool_spy() as spy:
            results, errors = call_with_timeout(
                pools.apply_with_callbacks, tasks.square, items, processes=2, ctx=ctx, timeout=CALL_LIMIT
            )
        assert not _lifecycle(spy), _lifecycle(spy)
        assert results == {1: 1, 2: 4, 3: 9} and errors == {}, (
            f"with no failures expected ({{1: 1, 2: 4, 3: 9}}, {{}}), got ({results!r}, {errors!r})"
        )
        assert len(spy.async_calls) == len(items), "use one apply_async call per item"
        for call in spy.async_calls:
            assert call["callback"] is not None, "every apply_async call needs callback="
            assert call["error_callback"] is not None, "every apply_async call needs error_callback="


class TestMapWithDeadline:
    def test_in_time_returns_the_results(self, pools, ctx):
        items = list(range(6))
        with pool_spy() as spy:
            out = call_with_timeout(pools.map_with_deadline, tasks.square, items, 10.0, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out == [x * x for x in items]
        assert not _lifecycle(spy), _lifecycle(spy)

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

    def test_results_come_in_input_order(self, pools, ctx, manager):
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
