"""Visible tests for 03_shared_state. Run them with:  pytest exercises/03_shared_state

Each test runs once per start method (fork, spawn, forkserver where available). Every wait has a
timeout, so a mistake shows up as a failure, never as a hang. A lost update is a matter of luck
here; the grader's hidden tests arrange the timing so that unlocked code loses updates every time.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.shared_memory import SharedMemory

import pytest

from shared_state import collect_ids, parallel_word_count, shared_counter, shm_total, tally_by_key

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


def call(fn, *args, limit=15.0, **kwargs):
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
        pytest.fail(f"{fn.__name__}() did not return within {limit:g} s", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box.get("value")


class TestParallelWordCount:
    def test_counts(self, ctx):
        result = call(parallel_word_count, ["a b a", "b c", "c c a"], ctx=ctx)
        assert result == {"a": 3, "b": 2, "c": 3}
        assert type(result) is dict, "return a plain dict: dict(counts)"

    def test_many_processes_one_word(self, ctx):
        # 4 processes each add 2000 to counts["w"]; without the lock, some additions get lost.
        assert call(parallel_word_count, ["w " * 2000] * 4, ctx=ctx) == {"w": 8000}


class TestCollectIds:
    def test_ids(self, ctx):
        assert call(collect_ids, 5, ctx=ctx) == [0, 1, 2, 3, 4]


class TestSharedCounter:
    def test_total(self, ctx):
        assert call(shared_counter, 4, 5000, ctx=ctx) == 20000


class TestShmTotal:
    def test_total_and_cleanup(self, ctx, monkeypatch):
        created = []
        original_init = SharedMemory.__init__
        me = os.getpid()

        def spy(self, name=None, create=False, size=0, **kwargs):
            original_init(self, name, create, size, **kwargs)
            if create and os.getpid() == me:
                created.append(self.name)

        monkeypatch.setattr(SharedMemory, "__init__", spy)
        assert call(shm_total, list(range(100)), 3, ctx=ctx) == sum(range(100))
        monkeypatch.undo()
        assert created, "create the block with SharedMemory(create=True, size=...)"
        for name in created:
            try:
                leftover = SharedMemory(name=name)
            except FileNotFoundError:
                continue
            leftover.close()
            leftover.unlink()
            pytest.fail(f"the block {name!r} still exists after shm_total returned: call shm.unlink()")


class TestTallyByKey:
    def test_tally(self, ctx):
        result = call(tally_by_key, [["a", "b", "a"], ["b", "c"], []], ctx=ctx)
        assert result == {"a": (2, [0]), "b": (2, [0, 1]), "c": (1, [1])}, (
            f"got {result!r}; if the batch lists are empty, the appends went to copies"
        )

    def test_many_processes_one_key(self, ctx):
        # 4 processes each tally "w" 300 times; without one shared lock, some updates get lost.
        result = call(tally_by_key, [["w"] * 300] * 4, ctx=ctx)
        assert result == {"w": (1200, [0, 1, 2, 3])}, f"got {result!r}"
