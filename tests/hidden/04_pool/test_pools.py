"""Hidden tests for 04_pool (module ``pools``).

Every Pool test runs under fork, spawn and forkserver (the ``ctx`` fixture) with a class-level
spy on Pool.close/join/terminate. Overlap is proven with a rendezvous barrier, incremental
consumption with an Event the last task waits for, and a hang (a mutant that never gives up)
costs a bounded wait, never the per-test timeout. ``run_with_setup`` is watched from both sides:
its setup() logs the pid of every process it runs in, each task returns the pid of the worker that
ran it and the resource that worker was set up with, and a spy on ``Pool.Process`` sees a worker
die at once when the initializer raises (the pool would replace it forever). ``joblib_map`` is
watched the same way without a ctx (joblib picks its own workers): its tasks say which process and
thread ran them, meet at a barrier of n_jobs parties, count the calls in flight, and raise at once
when they run in the calling thread; joblib's reusable loky workers are stopped after each test.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import multiprocessing.pool
import threading
import time
from collections import Counter

import pytest

from grader.probes import call_with_timeout, joblib_probes, load_student, pool_probes, tasks
from grader.probes.pool_spy import pool_spy
from grader.probes.student import wait_until

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


SETUP_LIMIT = 15.0  # backstop: run_with_setup returns in ~0.3 s (fork) to ~2 s (spawn, 6 workers, loaded box)


@pytest.fixture
def setup_watch(monkeypatch):
    """(worker watch, starmap calls): Pool workers started, and every starmap/starmap_async call."""
    watch = pool_probes.watch_workers(monkeypatch)
    starmaps = []
    for name in ("starmap", "starmap_async"):
        real = getattr(multiprocessing.pool.Pool, name)

        def spy(self, func, iterable, chunksize=None, *args, _real=real, _name=name, **kwargs):
            starmaps.append((_name, chunksize))
            return _real(self, func, iterable, chunksize, *args, **kwargs)

        monkeypatch.setattr(multiprocessing.pool.Pool, name, spy)
    return watch, starmaps


def _run_with_setup(pools, watch, *args, **kwargs):
    """Call run_with_setup in a thread; fail at once if a pool worker dies (an initializer that raised)."""
    box = {}

    def target():
        try:
            box["value"] = pools.run_with_setup(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, name="call-run_with_setup", daemon=True)
    thread.start()
    deadline = time.monotonic() + SETUP_LIMIT
    while thread.is_alive() and time.monotonic() < deadline:
        crashed = watch.crashed()
        if crashed:
            pytest.fail(
                f"a pool worker died with exit code {crashed[0]._popen.returncode} before it could run a task, and "
                "the pool keeps replacing it, so run_with_setup would never return: the initializer "
                "raised. Pass initializer=init_worker and initargs=(setup,), a tuple holding setup",
                pytrace=False,
            )
        thread.join(0.05)
    if thread.is_alive():
        pytest.fail(f"run_with_setup() did not return within {SETUP_LIMIT:g} s", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _check_starmap(starmaps) -> None:
    assert starmaps, (
        "the pairs were not given to starmap: pool.starmap(functools.partial(call_with_resource, func), "
        "pairs, chunksize=1) unpacks each pair into two arguments, in input order"
    )


def _check_set_up_once(out, log, parent) -> None:
    """Every task's resource was made by setup() in the worker that ran it, once per worker."""
    pids = [pid for _, pid, _ in out]
    resources = [resource for _, _, resource in out]
    assert parent not in log, (
        "setup() ran in the parent process: each WORKER must call it, through the pool's "
        "initializer (initializer=init_worker, initargs=(setup,)), not you before making the pool"
    )
    assert all(isinstance(r, tuple) and len(r) == 3 for r in resources), (
        f"the tasks got {resources[0]!r} as the resource instead of what setup() returned in their worker: "
        "init_worker must store setup()'s result in the module-level _resource (global _resource)"
    )
    repeated = sorted({pid for pid in log if log.count(pid) > 1})
    assert not repeated and all(r[2] == 1 for r in resources), (
        f"setup() ran more than once in one worker process ({len(log)} calls in {len(set(log))} processes): "
        "call it once per worker, in the initializer, never in the task"
    )
    assert all(r[1] == pid for r, pid in zip(resources, pids, strict=True)), (
        "a task got a resource that setup() made in another process: each worker must use what setup() "
        "returned in that same worker (the initializer runs in the worker)"
    )


class TestRunWithSetup:
    def test_results_in_input_order(self, pools, ctx, manager, pool_sizes, setup_watch):
        watch, starmaps = setup_watch
        log = manager.list()
        setup = functools.partial(pool_probes.open_resource, log, "conn")
        # The pair (0, 10) finishes only after another pair has: completion order is not input order.
        func = functools.partial(pool_probes.add_first_last, manager.Event(), 5.0, 0.3)
        pairs = [(0, 10), (1, 20), (2, 30), (3, 40)]
        with pool_spy() as spy:
            out = _run_with_setup(pools, watch, func, pairs, setup, processes=2, tasks_per_child=2, ctx=ctx)
        assert isinstance(out, list) and len(out) == len(pairs), (
            f"expected a list of {len(pairs)} results, one per pair, got {out!r}"
        )
        values = [r[0] if isinstance(r, tuple) else r for r in out]
        assert values == [a + b for a, b in pairs], (
            f"expected the results of the pairs in input order {[a + b for a, b in pairs]!r}, got {values!r}: "
            "the pair (0, 10) finished last. starmap returns results in input order (imap_unordered, or "
            "collecting in callbacks, gives completion order)"
        )
        _check_starmap(starmaps)
        assert not _lifecycle(spy), _lifecycle(spy)
        _check_pool(pool_sizes, 2, ctx)

    def test_each_worker_is_set_up_once_by_the_initializer(self, pools, ctx, manager, setup_watch):
        watch, _ = setup_watch
        log = manager.list()
        setup = functools.partial(pool_probes.open_resource, log, "conn")
        pairs = [(a, 100) for a in range(12)]
        with pool_spy() as spy:
            out = _run_with_setup(pools, watch, pool_probes.add_with_pid, pairs, setup,
                                  processes=2, tasks_per_child=3, ctx=ctx)
        assert [r[0] for r in out] == [a + b for a, b in pairs], (
            f"expected the results in input order {[a + b for a, b in pairs]!r}, got {[r[0] for r in out]!r}"
        )
        _check_set_up_once(out, list(log), os.getpid())
        assert not _lifecycle(spy), _lifecycle(spy)

    def test_workers_are_replaced_after_tasks_per_child_tasks(self, pools, ctx, manager, setup_watch):
        watch, starmaps = setup_watch
        log = manager.list()
        setup = functools.partial(pool_probes.open_resource, log, "conn")
        pairs = [(a, 1) for a in range(12)]
        with pool_spy() as spy:
            out = _run_with_setup(pools, watch, pool_probes.add_with_pid, pairs, setup,
                                  processes=2, tasks_per_child=2, ctx=ctx)
        _check_starmap(starmaps)
        per_worker = Counter(pid for _, pid, _ in out)
        most = max(per_worker.values())
        if most > 2 and any(chunksize != 1 for _, chunksize in starmaps):
            pytest.fail(
                f"one worker ran {most} pairs, more than tasks_per_child=2: maxtasksperchild counts tasks, and "
                "starmap sends the pairs in chunks, each chunk ONE task. Pass chunksize=1 to starmap",
                pytrace=False,
            )
        assert len(per_worker) >= 6 and most <= 2, (
            f"12 pairs ran in only {len(per_worker)} worker process(es), one of them running {most}: with "
            "tasks_per_child=2, each worker must exit after 2 tasks and be replaced by a fresh one "
            "(maxtasksperchild=tasks_per_child), so at least 6 workers run"
        )
        _check_set_up_once(out, list(log), os.getpid())
        assert not _lifecycle(spy), _lifecycle(spy)

    def test_every_worker_is_set_up_even_without_a_task(self, pools, manager, setup_watch):
        # 3 workers and 1 pair: two workers never get a task, but each ran the initializer as it started.
        ctx = multiprocessing.get_context(ONE_METHOD)
        watch, _ = setup_watch
        log = manager.list()
        setup = functools.partial(pool_probes.open_resource, log, "conn")
        with pool_spy() as spy:
            out = _run_with_setup(pools, watch, pool_probes.add_with_pid, [(2, 3)], setup,
                                  processes=3, tasks_per_child=2, ctx=ctx)
        assert [r[0] for r in out] == [5], f"expected [5] for the one pair (2, 3), got {out!r}"
        assert not _lifecycle(spy), _lifecycle(spy)
        setups = list(log)
        assert len(set(setups)) >= 3, (
            f"setup() ran in {len(set(setups))} process(es), but the pool had 3 workers: each worker calls "
            "it as it starts, through initializer=init_worker, even one that never gets a task (a setup "
            "made lazily by the first task is not what the initializer does)"
        )
        _check_set_up_once(out, setups, os.getpid())


FAIL_FAST_LIMIT = 8.0  # the correct solution raises in ~0.1 s (fork) to ~1 s (spawn), however long item 0 runs


class TestCheckedResults:
    def test_results_in_order_and_a_failing_task_raises_its_own_exception(self, pools, ctx, manager, pool_sizes):
        # Item 0 finishes last: each result must go to its own item's place, not in arrival order.
        func = functools.partial(tasks.finish_first_last, manager.Event(), 5.0, 0.3)
        items = [0, 1, 2, 3]
        with pool_spy() as spy:
            out = call_with_timeout(pools.checked_results, func, items, processes=2, ctx=ctx, timeout=CALL_LIMIT)
        assert out == [x * x for x in items], (
            f"expected {[x * x for x in items]!r} (input order; item 0 finished last), got {out!r}"
        )
        assert not _lifecycle(spy), _lifecycle(spy)
        _check_pool(pool_sizes, 2, ctx)
        empty = call_with_timeout(pools.checked_results, tasks.square, [], processes=2, ctx=ctx, timeout=5.0)
        assert empty == [], f"checked_results(func, []) should return [], got {empty!r}"

        before = {p.pid for p in multiprocessing.active_children()}
        func = functools.partial(tasks.fail_on, 3)
        with pool_spy(forbid_pending_terminate=False) as spy:
            try:
                out = call_with_timeout(pools.checked_results, func, list(range(6)), processes=2, ctx=ctx,
                                        timeout=CALL_LIMIT)
            except ValueError as exc:
                assert str(exc) == "bad item 3", f"expected ValueError('bad item 3'), got {exc!r}"
            except Exception as exc:  # noqa: BLE001 - reported as the wrong exception
                pytest.fail(
                    f"the task for item 3 raised ValueError('bad item 3'), but checked_results raised "
                    f"{type(exc).__name__}: {exc}. Re-raise the task's own exception (the one error_callback "
                    "receives), not a new one",
                    pytrace=False,
                )
            else:
                pytest.fail(
                    f"the task for item 3 raised ValueError('bad item 3'), but checked_results returned {out!r}: "
                    "the exception was lost. apply_async keeps it in the AsyncResult; only get() or an "
                    "error_callback hands it to you",
                    pytrace=False,
                )
        methods = spy.methods()
        assert "join" in methods and ("close" in methods or "terminate" in methods), (
            f"a task raised and the pool was left running (its calls: {methods}): terminate() it and join() it "
            "before you raise (try/finally)"
        )
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"{len(left)} worker process(es) still running after checked_results raised"

    def test_a_failure_is_raised_without_waiting_for_the_other_tasks(self, pools, ctx, manager):
        # Item 0 runs until the test opens its gate (30 s at most); item 1 fails at once.
        before = {p.pid for p in multiprocessing.active_children()}
        gate = manager.Event()
        func = functools.partial(pool_probes.held_or_failing, gate, 30.0)
        box = {}

        def target():
            try:
                box["value"] = pools.checked_results(func, [0, 1], processes=2, ctx=ctx)
            except BaseException as exc:  # noqa: BLE001 - examined below
                box["error"] = exc

        with pool_spy(forbid_pending_terminate=False) as spy:
            thread = threading.Thread(target=target, name="call-checked_results", daemon=True)
            thread.start()
            try:
                thread.join(FAIL_FAST_LIMIT)
                hung = thread.is_alive()
            finally:
                gate.set()  # let item 0 finish, so a caller still waiting for it can end
            if hung:
                thread.join(5.0)
        if hung:
            pytest.fail(
                f"item 1 failed at once, but checked_results had not raised {FAIL_FAST_LIMIT:g} s later: it was "
                "still waiting for item 0, which runs for 30 s. Raise as soon as a failure arrives "
                "(error_callback), terminate() the pool instead of waiting for the other tasks, then join()",
                pytrace=False,
            )
        error = box.get("error")
        if error is None:
            pytest.fail(f"item 1 raised ValueError('bad item 1'), but checked_results returned {box.get('value')!r}",
                        pytrace=False)
        assert type(error) is ValueError and str(error) == "bad item 1", (
            f"expected item 1's ValueError('bad item 1'), got {type(error).__name__}: {error}"
        )
        assert "terminate" in spy.methods(), (
            "the pool was not terminate()d after the failure: its workers go on with tasks whose results "
            "nobody wants"
        )
        assert "join" in spy.methods(), "join() the pool after terminate(), so no worker is left behind"
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"{len(left)} worker process(es) still running after checked_results raised"


JOBLIB_LIMIT = 30.0  # backstop: the correct joblib_map returns in well under 3 s (loky starts a worker in ~0.3 s)
JOBLIB_BARRIER = 5.0  # the correct solution meets the barrier in ~0.3 s (loky workers starting, loaded box: ~2 s)
JOBLIB_HOLD = 2.0  # each of the first n_jobs calls waits this long for an extra worker to show up
PREFERS = ("threads", "processes")


@pytest.fixture
def joblib_workers():
    """Stop joblib's reusable loky executor after the test.

    loky keeps its worker processes for the next Parallel call; the plugin's leak check (torn down
    after this fixture, being autouse) would take them for children the submission left behind.
    """
    yield
    joblib_probes.stop_loky_workers()


@pytest.fixture
def parallel_calls(monkeypatch):
    """Every joblib ``Parallel`` object called (``Parallel(...)(tasks)``), in call order."""
    joblib = pytest.importorskip("joblib")
    calls = []
    real = joblib.Parallel.__call__

    def spy(self, iterable):
        calls.append(self)
        return real(self, iterable)

    monkeypatch.setattr(joblib.Parallel, "__call__", spy)
    return calls


def _joblib_map(pools, func, items, *, limit=JOBLIB_LIMIT, **kwargs):
    """Call ``pools.joblib_map`` in a thread marked as the caller; name a call that ran in that thread."""
    box = {}

    def target():
        with joblib_probes.caller():
            try:
                box["value"] = pools.joblib_map(func, items, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                box["error"] = exc

    thread = threading.Thread(target=target, name="call-joblib_map", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"joblib_map() did not return within {limit:g} s", pytrace=False)
    error = box.get("error")
    if isinstance(error, joblib_probes.RanInCaller):
        pytest.fail(
            "func(x) ran in the thread that called joblib_map, not in one of joblib's workers: give "
            "Parallel the call to make, delayed(func)(x), and let Parallel run it (delayed(func(x)) calls "
            "func at once, in your thread; so do a plain loop and n_jobs=1)",
            pytrace=False,
        )
    if error is not None:
        raise error
    out = box.get("value")
    if type(out) is not list:
        pytest.fail(
            f"joblib_map must return a list, got {type(out).__name__}: Parallel(...)(...) returns a list "
            "unless return_as asks for a generator",
            pytrace=False,
        )
    return out


@pytest.mark.usefixtures("joblib_workers")
class TestJoblibMap:
    @pytest.mark.parametrize("prefer", PREFERS)
    def test_a_list_in_input_order_from_parallel(self, pools, manager, parallel_calls, prefer):
        # Item 0 finishes only after another item has: completion order is not input order.
        func = functools.partial(joblib_probes.finish_first_last, manager.Event(), 5.0, 0.3)
        out = _joblib_map(pools, func, [0, 1, 2, 3], n_jobs=2, prefer=prefer)
        assert out == [0, 1, 4, 9], (
            f"expected [0, 1, 4, 9] (input order; item 0 finished last), got {out!r}: Parallel returns the "
            "results in input order, return_as='generator_unordered' in completion order"
        )
        assert parallel_calls, (
            "joblib_map did not call a joblib Parallel object: compute the results with "
            "Parallel(n_jobs=..., prefer=...)(delayed(func)(x) for x in items)"
        )

    @pytest.mark.parametrize("prefer", PREFERS)
    def test_n_jobs_calls_run_at_the_same_time_where_prefer_says(self, pools, manager, prefer):
        n_jobs = 3
        barrier = manager.Barrier(n_jobs)
        func = functools.partial(joblib_probes.where, barrier, JOBLIB_BARRIER)
        try:
            out = _joblib_map(pools, func, range(n_jobs), n_jobs=n_jobs, prefer=prefer)
        except threading.BrokenBarrierError:
            pytest.fail(
                f"with n_jobs={n_jobs} and {n_jobs} items, the {n_jobs} calls never ran at the same time (each "
                f"waited {JOBLIB_BARRIER:g} s for the others): pass the n_jobs you were given to Parallel, in one "
                "Parallel call for all the items (n_jobs=-1 means as many as the CPUs)",
                pytrace=False,
            )
        assert [x for x, _, _ in out] == list(range(n_jobs)), f"expected the items {list(range(n_jobs))!r}, got {out!r}"
        pids = {pid for _, pid, _ in out}
        threads = {(pid, ident) for _, pid, ident in out}
        if prefer == "threads":
            assert pids == {os.getpid()}, (
                "prefer='threads' must run the calls in worker threads of this process, they ran in "
                f"{len(pids - {os.getpid()})} other process(es): pass prefer to Parallel (its default "
                "backend, loky, runs worker processes)"
            )
        else:
            assert os.getpid() not in pids, (
                "prefer='processes' must run the calls in worker processes, they ran in threads of this "
                "process: pass prefer to Parallel (backend='threading' always runs threads)"
            )
        assert len(threads) == n_jobs, (
            f"the {n_jobs} calls ran in {len(threads)} worker(s), expected {n_jobs}"
        )

    def test_never_more_than_n_jobs_calls_at_once(self, pools):
        counter = joblib_probes.InFlight(limit=2, hold=JOBLIB_HOLD)
        func = functools.partial(joblib_probes.InFlight.count, counter.name)
        try:
            out = _joblib_map(pools, func, [0, 1, 2, 3], n_jobs=2, prefer="threads")
        finally:
            counter.close()
        assert [x for x, _ in out] == [0, 1, 2, 3], f"expected the items [0, 1, 2, 3] in input order, got {out!r}"
        assert counter.calls == 4, (
            f"prefer='threads' must run the calls in worker threads of this process, only {counter.calls} of "
            "the 4 ran in this process: pass prefer to Parallel"
        )
        assert counter.peak <= 2, (
            f"{counter.peak} calls ran at the same time with n_jobs=2: joblib must start n_jobs workers, "
            "no more (not n_jobs=-1, all the CPUs, nor one worker per item)"
        )

    @pytest.mark.parametrize("prefer", PREFERS)
    def test_a_failing_call_raises_its_own_exception(self, pools, prefer):
        before = set(threading.enumerate())
        func = functools.partial(joblib_probes.fail_on, 2)
        try:
            out = _joblib_map(pools, func, range(5), n_jobs=2, prefer=prefer)
        except ValueError as exc:
            assert str(exc) == "bad item 2", f"expected ValueError('bad item 2'), got {exc!r}"
        except Exception as exc:  # noqa: BLE001 - reported as the wrong exception
            pytest.fail(
                f"the call for item 2 raised ValueError('bad item 2'), but joblib_map raised "
                f"{type(exc).__name__}: {exc}. Let the call's own exception through (Parallel re-raises it), "
                "do not wrap it",
                pytrace=False,
            )
        else:
            pytest.fail(
                f"the call for item 2 raised ValueError('bad item 2'), but joblib_map returned {out!r}: the "
                "exception was lost. Do not catch it, in the worker or around Parallel",
                pytrace=False,
            )
        if prefer == "threads":
            def left():
                return [t for t in threading.enumerate() if t not in before and t.name != "call-joblib_map"]

            assert wait_until(lambda: not left(), 5.0), (
                f"{len(left())} worker thread(s) still running 5 s after joblib_map raised"
            )

    def test_an_unknown_prefer_raises_value_error(self, pools):
        counter = joblib_probes.InFlight(limit=10, hold=0.0)
        func = functools.partial(joblib_probes.InFlight.count, counter.name)
        try:
            out = _joblib_map(pools, func, [0, 1], n_jobs=2, prefer="thread")
        except ValueError:
            out = None
        except Exception as exc:  # noqa: BLE001 - reported as the wrong exception
            pytest.fail(f"prefer='thread' (a typo) should raise ValueError, got {type(exc).__name__}: {exc}",
                        pytrace=False)
        else:
            pytest.fail(
                f"prefer='thread' (a typo) should raise ValueError, joblib_map returned {out!r}: pass prefer to "
                "Parallel, which checks it (an if/else that turns anything but 'threads' into processes hides "
                "the typo)",
                pytrace=False,
            )
        finally:
            counter.close()
        assert counter.calls == 0, f"prefer='thread' raised ValueError, but only after {counter.calls} call(s) ran"
