"""Visible tests for 04_pool. Run them with:  pytest exercises/04_pool

Each Pool test runs once per start method (fork, spawn, forkserver where available). The worker
functions are built-ins (abs, int, time.sleep) and Manager proxies, because a pool can only run
functions its worker processes can import. (joblib pickles functions with cloudpickle, which also
sends a lambda to its worker processes.) The grader's hidden tests check more than these.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import threading
import time

import pytest

from pools import (
    apply_with_callbacks,
    checked_results,
    imap_in_order,
    joblib_map,
    map_with_deadline,
    parallel_apply,
    run_with_setup,
)

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


@pytest.fixture(params=METHODS)
def ctx(request):
    return multiprocessing.get_context(request.param)


@pytest.fixture(scope="module")
def manager():
    mgr = multiprocessing.get_context("spawn").Manager()
    yield mgr
    mgr.shutdown()


@pytest.fixture(autouse=True)
def stop_leftover_pools():
    """After each test, terminate any pool your code left running (so a bug cannot hang pytest)."""
    yield
    for obj in gc.get_objects():
        if isinstance(obj, multiprocessing.pool.Pool) and any(p.exitcode is None for p in obj._pool):
            obj.terminate()


def call(fn, *args, limit=15.0, **kwargs):
    """Run fn in a helper thread; fail (instead of hanging) if it takes longer than ``limit``."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {limit:g} s", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box.get("value")


class TestParallelApply:
    def test_results_in_input_order(self, ctx):
        before = {p.pid for p in multiprocessing.active_children()}
        assert call(parallel_apply, abs, [-3, 1, -2, 5], ctx=ctx) == [3, 1, 2, 5]
        left = [p.name for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"still running after parallel_apply returned: {left}: close() and join() the pool"

    def test_worker_error_reaches_the_caller(self, ctx):
        with pytest.raises(ValueError, match="invalid literal"):
            call(parallel_apply, int, ["1", "x", "3"], ctx=ctx)

    def test_tasks_run_at_the_same_time(self, ctx, manager):
        # Each task is barrier.wait(5.0): it returns only once BOTH tasks are waiting together.
        # If you wait for the first result before submitting the second, the barrier breaks.
        barrier = manager.Barrier(2)
        try:
            out = call(parallel_apply, barrier.wait, [5.0, 5.0], processes=2, ctx=ctx)
        except threading.BrokenBarrierError:
            pytest.fail("the two tasks never ran at the same time: submit all tasks before any get()")
        assert sorted(out) == [0, 1]


class TestApplyWithCallbacks:
    def test_results_and_errors(self, ctx):
        results, errors = call(apply_with_callbacks, int, ["1", "x", "3"], ctx=ctx)
        assert results == {"1": 1, "3": 3}
        assert list(errors) == ["x"], "the failing item 'x' should be in errors (use error_callback)"
        assert isinstance(errors["x"], ValueError)


class TestMapWithDeadline:
    def test_in_time(self, ctx):
        assert call(map_with_deadline, abs, [-1, -2, -3], 10.0, ctx=ctx) == [1, 2, 3]

    def test_too_slow(self, ctx):
        before = {p.pid for p in multiprocessing.active_children()}
        with pytest.raises(multiprocessing.TimeoutError):
            call(map_with_deadline, time.sleep, [30, 30], 0.5, ctx=ctx, limit=5.0)
        left = [p.name for p in multiprocessing.active_children() if p.pid not in before]
        assert not left, f"still running after the timeout: {left}: terminate() and join() the pool"


class TestImapInOrder:
    def test_results_and_calls_in_order(self, ctx):
        calls = []
        out = call(imap_in_order, abs, [-1, -2, -3], lambda i, r: calls.append((i, r)), ctx=ctx)
        assert out == [1, 2, 3]
        assert calls == [(0, 1), (1, 2), (2, 3)]

    def test_first_result_is_reported_early(self, ctx, manager):
        # Task 0 is event.wait(0): False at once. Task 1 is event.wait(3.0). on_result(0, ...) sets
        # the event, so task 1 sees it (True) only if result 0 was reported while task 1 still ran.
        event = manager.Event()

        def on_result(i, r):
            if i == 0:
                event.set()

        out = call(imap_in_order, event.wait, [0, 3.0], on_result, processes=2, ctx=ctx)
        assert out == [False, True], "call on_result for each result as it arrives (imap), not after all (map)"


class TestRunWithSetup:
    def test_results_in_order_from_workers_set_up_and_replaced(self, ctx):
        # setup=os.getpid: each worker's resource is its own pid. func=slice packs its three arguments,
        # slice(resource, a, b). Both are built-ins, so every worker can use them.
        pairs = [(a, a * 10) for a in range(8)]
        out = call(run_with_setup, slice, pairs, os.getpid, processes=2, tasks_per_child=2, ctx=ctx)
        assert [(s.stop, s.step) for s in out] == pairs, "expected one result per pair, in input order"
        workers = {s.start for s in out}
        assert os.getpid() not in workers, "setup() ran in the parent: the pool's initializer runs it in each worker"
        assert len(workers) >= 4, (
            f"8 pairs with tasks_per_child=2 need at least 4 workers, saw {len(workers)}: use maxtasksperchild and chunksize=1"
        )


class TestCheckedResults:
    def test_results_in_order(self, ctx):
        assert call(checked_results, abs, [-3, 1, -2], ctx=ctx) == [3, 1, 2]

    def test_a_failing_task_raises(self, ctx):
        # int("x") raises ValueError in the worker; checked_results must raise it too.
        with pytest.raises(ValueError):
            result = call(checked_results, int, ["1", "x", "3"], ctx=ctx)
            pytest.fail(f"int('x') raised ValueError in a worker, but checked_results returned {result!r}")


@pytest.fixture
def stop_joblib_workers():
    """joblib keeps its worker processes alive for the next Parallel call; stop them after each test."""
    yield
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor(reuse=True).shutdown(wait=True, kill_workers=True)


@pytest.mark.usefixtures("stop_joblib_workers")
@pytest.mark.parametrize("prefer", ["threads", "processes"])
class TestJoblibMap:
    def test_results_in_input_order(self, prefer):
        out = call(joblib_map, abs, [-3, 1, -2, 5], n_jobs=2, prefer=prefer)
        assert out == [3, 1, 2, 5], "expected a list of the results in input order"

    def test_error_reaches_the_caller(self, prefer):
        with pytest.raises(ValueError, match="invalid literal"):
            call(joblib_map, int, ["1", "x", "3"], n_jobs=2, prefer=prefer)

    def test_n_jobs_calls_run_at_the_same_time(self, prefer, manager):
        # Each call is barrier.wait(5.0): it returns only once all 3 calls are waiting together.
        barrier = manager.Barrier(3)
        try:
            out = call(joblib_map, barrier.wait, [5.0, 5.0, 5.0], n_jobs=3, prefer=prefer)
        except threading.BrokenBarrierError:
            pytest.fail("the 3 calls never ran at the same time: pass n_jobs to Parallel, and delayed(func)(x)")
        assert sorted(out) == [0, 1, 2]

    def test_prefer_picks_threads_or_processes(self, prefer):
        # A lambda: joblib's cloudpickle sends it to worker processes too.
        pids = call(joblib_map, lambda x: os.getpid(), range(4), n_jobs=2, prefer=prefer)
        if prefer == "threads":
            assert set(pids) == {os.getpid()}, "prefer='threads' should run the calls in threads of this process"
        else:
            assert os.getpid() not in pids, "prefer='processes' should run the calls in worker processes"
