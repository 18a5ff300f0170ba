"""Hidden tests for 03_shared_state (module ``shared_state``).

Every test runs under fork, spawn and forkserver (the ``ctx`` fixture). Lost updates are forced,
not hoped for (grader.probes.shared_state_probes):

* ``ctx.Manager`` is replaced by a manager whose dict holds the first read of a key until a
  second process reads it too (unless the reader holds that manager's Lock), and the word
  chunks make every worker start updating at the same moment: an unlocked read-add-write then
  loses an update every time, while locked code is never delayed;
* ``ctx.RLock`` (the lock ``ctx.Value`` creates) is replaced by one that, the first time a child
  releases it completely, waits for the sibling processes: ``v.value += 1`` without
  ``get_lock()`` has then read the same value in every child;
* SharedMemory is spied on in the parent: every block it creates must be unlinked by it, and
  attaching to it by name afterwards must raise FileNotFoundError;
* ``tally_by_key`` gets a ContendedManager: the first read of the contested key waits until a
  second process reads it too (an update is then lost) or until the reader holds a lock of that
  manager that another process is waiting for. Code that holds one shared lock is never made to
  lose an update; no lock, a lock around the write only, or a lock per process always loses one.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import re
from collections import Counter

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.shared_state_probes import (
    BarrierChunk,
    ManagerFactory,
    ProcessFactory,
    RLockFactory,
    block_exists,
    shm_spy,
)
from grader.probes.tally_probes import ContendedManagerFactory, GatedBatch

CALL_LIMIT = 15.0  # backstop: the correct solution returns in about 1 s (spawn at load 13: ~3 s)
BARRIER_WAIT = 5.0  # the workers of one call meet in well under 1 s
#: a join(timeout) at least this long counts as waiting for the work (it takes a few ms here)
LONG_JOIN = 2.0


@pytest.fixture
def shared_state():
    return load_student("shared_state")


@pytest.fixture(scope="module")
def manager():
    """One Manager for the module: its Barrier proxies pickle into every start method."""
    mgr = multiprocessing.get_context("spawn").Manager()
    yield mgr
    mgr.shutdown()


@pytest.fixture
def rendezvous_manager(ctx, monkeypatch):
    """Replace ``ctx.Manager`` by a RendezvousManager factory for this test."""
    factory = ManagerFactory(ctx)
    monkeypatch.setattr(ctx, "Manager", factory)
    yield factory
    factory.shutdown_all()


@pytest.fixture
def made_processes(ctx, monkeypatch):
    """Replace ``ctx.Process`` by a factory that counts the processes made through this ctx."""
    factory = ProcessFactory(ctx.Process)
    monkeypatch.setattr(ctx, "Process", factory)
    return factory


def _method(ctx) -> str:
    return ctx.get_start_method()


USE_CTX = "start the children with ctx.Process (the ctx you were given), not multiprocessing.Process or the default context"


#: the start method of the tests that check one behaviour, not the start methods
ONE_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@pytest.fixture
def start_join_log(monkeypatch):
    """The parent's Process.start()/join() calls, in order: ("start" | "join", id of the process)."""
    log = []
    real_start, real_join = multiprocessing.process.BaseProcess.start, multiprocessing.process.BaseProcess.join

    def start(self):
        log.append(("start", id(self)))
        return real_start(self)

    def join(self, timeout=None):
        log.append(("join", id(self)))
        return real_join(self, timeout)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
    return log


def _check_all_started_first(log, n: int) -> None:
    starts = [i for i, (op, _) in enumerate(log) if op == "start"]
    joins = [i for i, (op, _) in enumerate(log) if op == "join"]
    assert len(starts) >= n, f"expected {n} processes to be started, saw {len(starts)}"
    assert not joins or joins[0] > starts[-1], (
        "a process was joined before the last one was started, so they did not all run at the "
        "same time: start every process first, then join them all"
    )


class TestParallelWordCount:
    def test_counts_are_exact(self, shared_state, ctx):
        chunks = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "mat mat the end"]
        expected = dict(Counter(" ".join(chunks).split()))
        result = call_with_timeout(shared_state.parallel_word_count, chunks, ctx=ctx, timeout=CALL_LIMIT)
        assert type(result) is dict, (
            f"return a plain dict (dict(counts)), not {type(result).__name__}: a proxy stops working "
            "once its manager shuts down"
        )
        assert result == expected, f"[{_method(ctx)}] expected {expected!r}, got {result!r}"

    def test_concurrent_updates_of_one_word_are_not_lost(self, shared_state, ctx, manager, rendezvous_manager):
        n = 4
        barrier = manager.Barrier(n)
        chunks = [BarrierChunk("w w w", barrier, BARRIER_WAIT) for _ in range(n)]
        result = call_with_timeout(shared_state.parallel_word_count, chunks, ctx=ctx, timeout=CALL_LIMIT)
        assert result, (
            f"[{_method(ctx)}] the result is empty: the children updated their own copies. Give them "
            "manager.dict() proxies, made with ctx.Manager()"
        )
        assert result == {"w": 3 * n}, (
            f"[{_method(ctx)}] {n} processes each added 3 to counts['w'], expected {{'w': {3 * n}}}, got "
            f"{result!r}: updates were lost. counts[w] = counts.get(w, 0) + n is a read, then a "
            "write; hold the manager's Lock around both"
        )
        assert rendezvous_manager.made, "create the manager with ctx.Manager() (the ctx you were given)"


class TestCollectIds:
    def test_every_id_arrives(self, shared_state, ctx, start_join_log):
        ids = call_with_timeout(shared_state.collect_ids, 6, ctx=ctx, timeout=CALL_LIMIT)
        _check_all_started_first(start_join_log, 6)
        assert ids == list(range(6)), (
            f"[{_method(ctx)}] expected [0, 1, 2, 3, 4, 5], got {ids!r}. If it is [], the children "
            "appended to a COPY: shared['ids'] must be a manager.list(), not a plain list"
        )
        assert type(ids) is list, f"return a plain list, not {type(ids).__name__}"

    def test_concurrent_appends_are_not_lost(self, shared_state, ctx, rendezvous_manager):
        ids = call_with_timeout(shared_state.collect_ids, 4, ctx=ctx, timeout=CALL_LIMIT)
        assert ids == [0, 1, 2, 3], (
            f"[{_method(ctx)}] expected [0, 1, 2, 3], got {ids!r}: appends were lost. Reading "
            "shared['ids'], appending and writing it back is a read-modify-write; use a nested "
            "manager.list() and append to it directly"
        )
        assert rendezvous_manager.made, "create the manager with ctx.Manager() (the ctx you were given)"


class TestSharedCounter:
    def test_total_is_exact(self, shared_state, ctx, manager, monkeypatch):
        n_procs, n_incr = 4, 2000
        factory = RLockFactory(ctx, manager.Barrier(n_procs), BARRIER_WAIT)
        monkeypatch.setattr(ctx, "RLock", factory)
        total = call_with_timeout(shared_state.shared_counter, n_procs, n_incr, ctx=ctx, timeout=CALL_LIMIT)
        assert factory.made, f"[{_method(ctx)}] make the counter with ctx.Value (the ctx you were given)"
        assert total == n_procs * n_incr, (
            f"[{_method(ctx)}] {n_procs} processes x {n_incr} increments should give "
            f"{n_procs * n_incr}, got {total!r}: updates were lost. counter.value += 1 reads and then "
            "writes; hold counter.get_lock() around the whole increment"
        )

    def test_the_total_is_read_after_every_child_has_finished(self, shared_state, manager, monkeypatch):
        # Each child stops after its first increment until the parent waits for it for real: a
        # join() with no timeout or a long one, a second join() of the same process, or an
        # is_alive() poll. A single short join(timeout) per child therefore always returns while
        # that child is still running, so any fixed timeout is shorter than the work.
        ctx = multiprocessing.get_context(ONE_METHOD)
        gate = manager.Event()
        monkeypatch.setattr(ctx, "RLock", RLockFactory(ctx, gate, 30.0))
        owner, joins, short = os.getpid(), Counter(), []
        real_join, real_is_alive = multiprocessing.process.BaseProcess.join, multiprocessing.process.BaseProcess.is_alive

        def join(self, timeout=None):
            if os.getpid() == owner:
                joins[id(self)] += 1
                if timeout is None or timeout >= LONG_JOIN or joins[id(self)] > 1:
                    gate.set()
                elif not gate.is_set():
                    short.append(timeout)
            return real_join(self, timeout)

        def is_alive(self):
            if os.getpid() == owner:
                gate.set()
            return real_is_alive(self)

        monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
        monkeypatch.setattr(multiprocessing.process.BaseProcess, "is_alive", is_alive)
        n_procs, n_incr = 3, 40
        try:
            total = call_with_timeout(shared_state.shared_counter, n_procs, n_incr, ctx=ctx, timeout=CALL_LIMIT)
        finally:
            gate.set()  # let any child still held go on (a leaked one is then reported too)
        if short and total != n_procs * n_incr:
            pytest.fail(
                f"shared_counter returned {total!r} instead of {n_procs * n_incr}: it joined with a fixed "
                f"timeout ({short[0]:g} s) and read counter.value while the children were still running. "
                "join(timeout) just returns when the time is up; join() each child (or join(TIMEOUT) "
                "and check it finished) before reading the total",
                pytrace=False,
            )
        assert total == n_procs * n_incr, (
            f"{n_procs} processes x {n_incr} increments should give {n_procs * n_incr}, got {total!r}: "
            "read counter.value only after every child has finished (join them all first)"
        )

    def test_small_cases(self, shared_state, ctx, start_join_log):
        assert call_with_timeout(shared_state.shared_counter, 3, 50, ctx=ctx, timeout=CALL_LIMIT) == 150
        _check_all_started_first(start_join_log, 3)
        assert call_with_timeout(shared_state.shared_counter, 1, 50, ctx=ctx, timeout=CALL_LIMIT) == 50
        assert call_with_timeout(shared_state.shared_counter, 3, 0, ctx=ctx, timeout=CALL_LIMIT) == 0


def _check_blocks_freed(log) -> None:
    assert log.created, "no SharedMemory block was created in the parent (SharedMemory(create=True, ...))"
    still_there = [name for name in log.created if block_exists(name)]
    assert not still_there, (
        f"{len(still_there)} SharedMemory block(s) still exist after shm_total returned: close() only "
        "unmaps the block in this process; the creator must also call unlink()"
    )
    not_by_parent = [name for name in log.created if name not in log.unlinked]
    assert not not_by_parent, (
        "the parent never called unlink() on the block it created: the creator unlinks it "
        "(in a finally block); the children only close() their view of it"
    )


class TestShmTotal:
    def test_total_and_block_is_freed(self, shared_state, ctx):
        values = list(range(-50, 1000)) + [2**40, -(2**39)]
        with shm_spy() as log:
            try:
                total = call_with_timeout(shared_state.shm_total, values, 3, ctx=ctx, timeout=CALL_LIMIT)
            except FileNotFoundError as exc:
                pytest.fail(
                    f"[{_method(ctx)}] shm_total raised FileNotFoundError ({exc}): the block was already "
                    "gone. Only the parent, which created it, may unlink() it, and only at the end",
                    pytrace=False,
                )
        _check_blocks_freed(log)
        assert total == sum(values), f"[{_method(ctx)}] expected {sum(values)}, got {total!r}"

    def test_more_workers_than_values(self, shared_state, ctx, start_join_log, made_processes):
        with shm_spy() as log:
            total = call_with_timeout(shared_state.shm_total, [7, 35], 3, ctx=ctx, timeout=CALL_LIMIT)
        _check_blocks_freed(log)
        assert total == 42, f"[{_method(ctx)}] shm_total([7, 35], 3) should be 42, got {total!r}"
        _check_all_started_first(start_join_log, 3)
        assert made_processes.made == 3, f"[{_method(ctx)}] {USE_CTX}"

    @pytest.mark.parametrize(("values", "n_procs"), [([42], 3), ([1, 2, 3], 2), ([5], 1)])
    def test_small_inputs_each_worker_in_its_own_slot(self, shared_state, values, n_procs):
        ctx = multiprocessing.get_context(ONE_METHOD)
        with shm_spy() as log:
            try:
                total = call_with_timeout(shared_state.shm_total, values, n_procs, ctx=ctx, timeout=CALL_LIMIT)
            except RuntimeError as exc:
                pytest.fail(f"shm_total({values}, {n_procs}) raised RuntimeError ({exc}): a worker failed. Is the "
                            "block big enough for every value and one result slot per worker?", pytrace=False)
        _check_blocks_freed(log)
        assert total == sum(values), (
            f"shm_total({values}, {n_procs}) should be {sum(values)}, got {total!r}: every worker needs a result "
            "slot of its own after the values, and the total adds exactly those slots"
        )

    def test_a_worker_killed_by_a_signal_is_a_failure(self, shared_state, monkeypatch):
        ctx = multiprocessing.get_context(ONE_METHOD)
        monkeypatch.setattr(ctx, "Process", ProcessFactory(ctx.Process, kill=1))
        with shm_spy() as log:
            try:
                total = call_with_timeout(shared_state.shm_total, [1, 2, 3, 4], 2, ctx=ctx, timeout=CALL_LIMIT)
            except RuntimeError:
                total = None
            except Exception as exc:  # noqa: BLE001 - any other exception is the student's mistake
                pytest.fail(f"a worker was killed by a signal (exitcode -9), so shm_total should raise RuntimeError, "
                            f"got {type(exc).__name__}: {exc}", pytrace=False)
        assert total is None, (
            f"a worker was killed by a signal (exitcode -9), but shm_total returned {total!r}: a negative exitcode "
            "is a failure too (check exitcode != 0) and must raise RuntimeError"
        )
        _check_blocks_freed(log)

    def test_a_failing_worker_raises_and_the_block_is_freed(self, shared_state):
        # The slice sum 2**62 + 2**62 does not fit in a 64-bit slot: the worker fails.
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with shm_spy() as log:
            with pytest.raises(Exception) as excinfo:
                call_with_timeout(shared_state.shm_total, [2**62, 2**62], 1, ctx=ctx, timeout=CALL_LIMIT)
        assert excinfo.type is RuntimeError, (
            f"the only worker failed (exit code 1), so shm_total should raise RuntimeError, got "
            f"{excinfo.type.__name__}: {excinfo.value}. Check every worker's exitcode after join()"
        )
        _check_blocks_freed(log)


#: why a batch list stays empty, said after the result
COPY_APPEND = (
    "seen_in[key] hands you a COPY of the plain list the manager holds, and appending to the copy "
    "changes nothing there: write the new list back (seen_in[key] = seen + [index]) while holding the lock"
)
#: why a count or a batch number is lost, said after the result
ONE_LOCK = (
    "counts[key] = counts.get(key, 0) + 1, and reading the batch list then writing it back, are each a "
    "read, then a write: hold ONE manager.Lock(), made once in the parent and passed to every process, "
    "from the read to the write (a lock per process, or around the write only, excludes nobody)"
)


def _tally_problem(result, expected) -> str:
    """What is wrong with a tally_by_key result, in one sentence ("" when it is right)."""
    if type(result) is not dict:
        return (f"return a plain dict built while the manager still runs, not {type(result).__name__}: "
                "a proxy stops working once its manager shuts down")
    if not result:
        return ("the result is empty: the workers updated their own copies. Share manager.dict() proxies, "
                "made with ctx.Manager(), and read them after every worker has finished")
    if result == expected:
        return ""
    shape_ok = all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], list) for v in result.values())
    if not shape_ok:
        return f"expected {expected!r}, got {result!r}: map every key to a tuple (count, sorted list of batch indexes)"
    if any(count and not seen for count, seen in result.values()):
        return f"expected {expected!r}, got {result!r}: the batch lists stayed empty. {COPY_APPEND}"
    return f"expected {expected!r}, got {result!r}"


@pytest.fixture
def contended_manager(ctx, monkeypatch):
    """Replace ``ctx.Manager`` by a ContendedManager factory (contested key: "w") for this test."""
    factory = ContendedManagerFactory(ctx, contested=("w",))
    monkeypatch.setattr(ctx, "Manager", factory)
    yield factory
    factory.shutdown_all()


class TestTallyByKey:
    def test_counts_and_batch_numbers_of_every_key(self, shared_state, ctx):
        batches = [["a", "b", "a"], ["b", "c"], ["a"], []]
        expected = {"a": (3, [0, 2]), "b": (2, [0, 1]), "c": (1, [1])}
        result = call_with_timeout(shared_state.tally_by_key, batches, ctx=ctx, timeout=CALL_LIMIT)
        problem = _tally_problem(result, expected)
        assert not problem, f"[{_method(ctx)}] {problem}"

    def test_concurrent_updates_of_one_key_are_not_lost(self, shared_state, ctx, manager, contended_manager):
        n = 4
        barrier = manager.Barrier(n)
        batches = [GatedBatch(["w", "w", "w"], barrier=barrier, timeout=BARRIER_WAIT) for _ in range(n)]
        result = call_with_timeout(shared_state.tally_by_key, batches, ctx=ctx, timeout=CALL_LIMIT)
        expected = {"w": (3 * n, list(range(n)))}
        problem = _tally_problem(result, expected)
        entry = result.get("w") if isinstance(result, dict) else None
        if problem and isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], list):
            count, seen = entry
            if count != 3 * n or (seen and seen != list(range(n))):
                problem = (f"{n} processes each tallied 'w' 3 times at the same moment: expected {expected!r}, "
                           f"got {result!r}, so updates were lost. {ONE_LOCK}")
                if not seen:
                    problem += f". The batch list is also empty: {COPY_APPEND}"
        assert not problem, f"[{_method(ctx)}] {problem}"
        assert contended_manager.made, "create the manager with ctx.Manager() (the ctx you were given)"

    def test_the_tally_is_read_after_every_worker_has_finished(self, shared_state, manager, monkeypatch):
        # Each worker waits, before its first key, until the parent waits for it for real: a join()
        # with no timeout or a long one, a second join() of the same process, or an is_alive() poll.
        ctx = multiprocessing.get_context(ONE_METHOD)
        gate = manager.Event()
        batches = [GatedBatch(["x", "y"], gate=gate, timeout=30.0), GatedBatch(["y"], gate=gate, timeout=30.0)]
        owner, joins, waited = os.getpid(), Counter(), []
        real_join, real_is_alive = multiprocessing.process.BaseProcess.join, multiprocessing.process.BaseProcess.is_alive

        def watched(proc) -> bool:
            # A manager's own process is joined and polled when the manager shuts down: not a worker.
            return os.getpid() == owner and not re.search(r"Manager-[\d:]+$", proc.name)

        def join(self, timeout=None):
            if watched(self):
                joins[id(self)] += 1
                if timeout is None or timeout >= LONG_JOIN or joins[id(self)] > 1:
                    waited.append(True)
                    gate.set()
            return real_join(self, timeout)

        def is_alive(self):
            if watched(self):
                waited.append(True)
                gate.set()
            return real_is_alive(self)

        monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
        monkeypatch.setattr(multiprocessing.process.BaseProcess, "is_alive", is_alive)
        try:
            result = call_with_timeout(shared_state.tally_by_key, batches, ctx=ctx, timeout=CALL_LIMIT)
        finally:
            gate.set()  # let any worker still held go on (a leaked one is then reported too)
        expected = {"x": (1, [0]), "y": (2, [0, 1])}
        problem = _tally_problem(result, expected)
        if problem and not waited:
            problem = (f"expected {expected!r}, got {result!r}: the tally was read while the workers were still "
                       "running. join() every worker (no timeout, or a timeout longer than the work) before "
                       "reading the dicts")
        assert not problem, f"[{ctx.get_start_method()}] {problem}"
