"""Visible tests for 10_producer_consumer. Run them with:  pytest exercises/10_producer_consumer

The process_map tests run once per start method (fork, spawn, forkserver where available) and use
built-in functions (abs, int), because worker processes can only run functions they can import.
Every call runs in a helper thread with a time limit, so a consumer waiting forever for its
sentinel fails the test instead of hanging pytest. The grader's hidden tests check more.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from concurrent.futures import Future

import pytest

from pipelines import drain_with_consumers, fetch_all, map_bounded, process_map, run_pipeline

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


@pytest.fixture(params=METHODS)
def ctx(request):
    return multiprocessing.get_context(request.param)


@pytest.fixture(autouse=True)
def free_stuck_consumers(monkeypatch):
    """Remember every queue.Queue your code creates; afterwards put extra None sentinels in it,
    so consumer threads stuck waiting for a sentinel end and cannot keep pytest from exiting."""
    created = []
    original = queue.Queue.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(queue.Queue, "__init__", init)
    yield
    for q in created:
        for _ in range(8):
            try:
                q.put_nowait(None)
            except queue.Full:
                break


def call(fn, *args, limit=10.0, **kwargs):
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


def square(x):
    return x * x


class TestRunPipeline:
    @pytest.mark.parametrize("n_consumers", [1, 3])
    def test_every_item_is_processed(self, n_consumers):
        out = call(run_pipeline, [4, 2, 3, 1], square, n_consumers, limit=3.0)
        assert out == [1, 4, 9, 16]

    def test_a_slow_producer_loses_nothing(self):
        def slow_items():
            yield 1
            time.sleep(0.5)  # the queue is empty for a while: the consumers must keep waiting
            yield 2

        assert call(run_pipeline, slow_items(), square, 2, limit=3.0) == [1, 4]


class TestFetchAll:
    def test_results_and_errors(self):
        def fetch(url):
            if url == "bad":
                raise ValueError("cannot fetch bad")
            return url.upper()

        out = call(fetch_all, ["a", "bad", "c"], fetch, 2)
        assert out["a"] == "A" and out["c"] == "C"
        assert isinstance(out["bad"], ValueError), "a failing fetch should map its url to the exception"

    def test_fetches_overlap_but_never_more_than_max_workers(self):
        lock = threading.Lock()
        now = peak = 0
        both_in = threading.Barrier(2)

        def fetch(url):
            nonlocal now, peak
            with lock:
                now += 1
                peak = max(peak, now)
            try:
                both_in.wait(3.0)  # returns once 2 fetches are running together
            except threading.BrokenBarrierError:
                pass
            time.sleep(0.05)
            with lock:
                now -= 1
            return url

        call(fetch_all, ["a", "b", "c", "d"], fetch, 2)
        assert peak == 2, f"expected exactly 2 fetches at the same time with max_workers=2, saw {peak}"


class TestProcessMap:
    def test_results_in_order_and_callbacks(self, ctx):
        seen = []
        out = call(process_map, abs, [-3, 1, -2], seen.append, 2, ctx=ctx)
        assert out == [3, 1, 2]
        assert len(seen) == 3, "on_done should be called once per item, before process_map returns"
        assert all(isinstance(f, Future) for f in seen), "on_done receives the Future (add_done_callback)"

    def test_task_error_reaches_the_caller(self, ctx):
        with pytest.raises(ValueError, match="invalid literal"):
            call(process_map, int, ["1", "x"], lambda f: None, 2, ctx=ctx)


class TestMapBounded:
    def test_results_in_input_order(self):
        assert call(map_bounded, abs, iter([-1, 2, -3, 4, -5]), 2) == [1, 2, 3, 4, 5]

    def test_does_not_read_everything_up_front(self):
        taken = []

        def items():
            for i in range(6):
                taken.append(i)
                yield i

        def work(x):
            time.sleep(0.1)
            return len(taken)  # how many items had been taken while this one was worked on

        out = call(map_bounded, work, items(), 2)
        assert out[0] <= 4, f"{out[0]} items were taken while item 0 was being worked on (max_pending=2)"


class TestDrainWithConsumers:
    @pytest.mark.parametrize("n_consumers", [1, 3])
    def test_every_item_exactly_once(self, n_consumers):
        items = [3, None, 1, 0, "", 2]
        handled = []
        out = call(drain_with_consumers, items, handled.append, n_consumers, limit=3.0)
        assert sorted(map(repr, out)) == sorted(map(repr, items)), (
            f"expected every item exactly once (None, 0 and '' included), got {out!r}"
        )
        assert sorted(map(repr, handled)) == sorted(map(repr, items)), "handle() must be called once per item"

    def test_no_thread_is_left_running(self):
        before = set(threading.enumerate())
        call(drain_with_consumers, [1, 2, 3, 4], lambda item: time.sleep(0.05), 3, limit=3.0)
        left = [t.name for t in threading.enumerate() if t not in before]
        assert not left, f"threads still running after drain_with_consumers returned: {left}"
