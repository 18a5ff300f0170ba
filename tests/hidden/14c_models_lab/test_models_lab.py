"""Hidden tests for 14c_models_lab (module ``models_lab``).

No test measures speed (two shared cores make timings meaningless): each runner's concurrency is
proven by counting. Thread calls meet at a barrier of exactly ``workers`` parties, and an
in-flight counter shows that no more ran at once; asyncio and gevent counts are exact (tasks and
greenlets only switch when they wait); process calls report their pids and meet at a file
rendezvous that only passes when two OTHER processes are inside a call at the same time. Items
finish in reverse order wherever results must come back in input order. ``explain`` is checked
on fixed tables (ties, missing models, the 1.5 thresholds) and on random ones against a reference.
"""

from __future__ import annotations

import asyncio
import functools
import os
import random
import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.child import pid_alive
from grader.probes.executor_probes import new_threads, thread_snapshot
from grader.probes.gevent_probes import skip_reason as gevent_skip_reason
from grader.probes.inflight import InFlight
from grader.probes.lab_tasks import rendezvous, reversed_square, square_or_fail

LIMIT = 15.0  # seconds a runner may take; a correct one needs well under one


@pytest.fixture
def lab():
    return load_student("models_lab")


# --------------------------------------------------------------------------- io_runners
class TestIoRunners:
    def test_threads_run_exactly_workers_at_once(self, lab):
        workers, probe = 3, InFlight()
        barrier = threading.Barrier(workers, timeout=3)

        def job(x):
            probe.enter()
            try:
                barrier.wait()      # passes only when `workers` calls are in flight together
                time.sleep(0.05)    # stay in flight while any extra thread would start
                return x * 10
            finally:
                probe.leave()

        try:
            got = call_with_timeout(lab.run_threads, job, list(range(12)), workers, timeout=LIMIT)
        except threading.BrokenBarrierError:
            pytest.fail(f"run_threads(job, 12 items, workers={workers}) never had {workers} calls running at the same "
                        "time: submit them all to one pool before waiting for any result", pytrace=False)
        assert got == [x * 10 for x in range(12)], f"run_threads returned {got}"
        assert probe.peak == workers, (
            f"{probe.peak} calls ran at the same time with workers={workers}: the pool must have exactly `workers` "
            "threads (ThreadPoolExecutor(max_workers=workers))")

    def test_threads_keep_input_order_and_clean_up(self, lab):
        before = thread_snapshot()
        job = functools.partial(reversed_square, n=6, step=0.04)
        got = call_with_timeout(lab.run_threads, job, list(range(6)), 6, timeout=LIMIT)
        squares = [sq for _pid, sq in got]
        assert squares == [x * x for x in range(6)], (
            f"results {squares}: later items finished first, and the results must still be in input order")
        left = [t.name for t in new_threads(before) if not t.name.startswith("call-")]
        assert not left, f"threads still alive after run_threads returned: {left} (shut the pool down: `with`)"

    def test_threads_raise_the_jobs_error(self, lab):
        with pytest.raises(ValueError, match="item 3 failed"):
            call_with_timeout(lab.run_threads, square_or_fail, list(range(6)), 2, timeout=LIMIT)

    def test_asyncio_runs_exactly_limit_at_once(self, lab):
        probe = InFlight()

        async def job(x):
            await asyncio.sleep(0.01 * (x % 3))
            return -x

        counted = probe.wrap(job)
        got = call_with_timeout(lab.run_asyncio, counted, list(range(10)), 3, timeout=LIMIT)
        assert got == [-x for x in range(10)], f"run_asyncio returned {got}: results in the order of the items"
        assert probe.calls == 10, f"the job was awaited {probe.calls} times for 10 items"
        assert probe.peak == 3, (
            f"{probe.peak} calls were in flight at once with limit=3: start them all (gather), and hold ONE "
            "asyncio.Semaphore(limit) around each await")

    def test_asyncio_all_at_once_when_the_limit_allows(self, lab):
        probe = InFlight()

        async def job(x):
            await asyncio.sleep(0.02 * (5 - x))
            return x

        got = call_with_timeout(lab.run_asyncio, probe.wrap(job), list(range(5)), 10, timeout=LIMIT)
        assert got == list(range(5)) and probe.peak == 5, f"results {got}, peak {probe.peak} (expected all 5 at once)"

    def test_asyncio_raises_the_jobs_error(self, lab):
        async def job(x):
            await asyncio.sleep(0)
            return square_or_fail(x)

        with pytest.raises(ValueError, match="item 3 failed"):
            call_with_timeout(lab.run_asyncio, job, list(range(6)), 2, timeout=LIMIT)

    @pytest.fixture
    def gevent(self):
        reason = gevent_skip_reason()
        if reason:
            pytest.skip(reason)
        import gevent

        return gevent

    def test_gevent_runs_exactly_size_at_once_in_order(self, lab, gevent):
        probe = InFlight()

        def job(x):
            gevent.sleep(0.01 * ((7 - x) % 4))
            return x + 100

        got = call_with_timeout(lab.run_gevent, probe.wrap(job), list(range(8)), 3, timeout=LIMIT)
        assert got == [x + 100 for x in range(8)], f"run_gevent returned {got}: results in the order of the items"
        assert probe.peak == 3, (
            f"{probe.peak} greenlets ran the job at once with size=3: use a gevent.pool.Pool(size)")
        from gevent import monkey

        assert not monkey.is_module_patched("time") and not monkey.is_module_patched("threading"), (
            "run_gevent monkey-patched the standard library of the caller's process: the job waits with "
            "gevent.sleep, nothing needs patching")

    def test_gevent_raises_the_jobs_error(self, lab, gevent):
        def job(x):
            gevent.sleep(0)
            return square_or_fail(x)

        with pytest.raises(ValueError, match="item 3 failed"):
            call_with_timeout(lab.run_gevent, job, list(range(6)), 2, timeout=LIMIT)


# --------------------------------------------------------------------------- cpu_runner
class TestCpuRunner:
    def test_two_other_processes_at_once(self, lab, tmp_path):
        job = functools.partial(rendezvous, folder=str(tmp_path), parties=2, timeout=3.0)
        got = call_with_timeout(lab.run_processes, job, [0, 1], 2, timeout=LIMIT)
        assert [sq for _pid, sq, _together in got] == [0, 1], f"run_processes returned {got}"
        pids = {pid for pid, _sq, _together in got}
        assert os.getpid() not in pids, "run_processes ran the job in the calling process: use worker processes"
        assert len(pids) == 2 and all(together for *_, together in got), (
            f"the two calls ran in {len(pids)} process(es) and did not overlap: with workers=2 both must run at the "
            "same time in two worker processes")

    def test_input_order_and_no_process_left(self, lab):
        job = functools.partial(reversed_square, n=6, step=0.06)
        got = call_with_timeout(lab.run_processes, job, list(range(6)), 3, timeout=LIMIT)
        assert [sq for _pid, sq in got] == [x * x for x in range(6)], (
            f"results {[sq for _pid, sq in got]}: later items finished first, and results must be in input order")
        alive = sorted({pid for pid, _sq in got if pid != os.getpid() and pid_alive(pid)})
        assert not alive, (
            f"worker processes {alive} were still running after run_processes returned: shut the pool down "
            "(`with ProcessPoolExecutor(...)`, or Pool close() and join())")

    def test_raises_the_jobs_error(self, lab):
        with pytest.raises(ValueError, match="item 3 failed"):
            call_with_timeout(lab.run_processes, square_or_fail, list(range(6)), 2, timeout=LIMIT)


# --------------------------------------------------------------------------- explain
MODELS = ("sequential", "threads", "processes", "asyncio", "gevent")


def reference(table):
    out = {}
    for workload, row in table.items():
        measured = [m for m in MODELS if m in row]
        best = min(measured, key=lambda m: (row[m], MODELS.index(m)))
        speedups = {m: round(row["sequential"] / row[m], 2) for m in measured}
        gil = ("threads" in row and "processes" in row and row["sequential"] / row["threads"] < 1.5
               and row["sequential"] / row["processes"] >= 1.5)
        out[workload] = {"best": best, "speedups": speedups, "gil_bound": gil}
    return out


def check_explain(lab, table, why):
    got = call_with_timeout(lab.explain, table, timeout=5)
    want = reference(table)
    assert got == want, f"{why}\nexplain({table})\n returned {got}\n expected {want}"


class TestExplain:
    def test_a_typical_gil_machine(self, lab):
        table = {"io": {"sequential": 0.8, "threads": 0.2, "processes": 0.3, "asyncio": 0.1, "gevent": 0.15},
                 "cpu": {"sequential": 4.0, "threads": 4.1, "processes": 1.1, "asyncio": 4.05, "gevent": 4.02}}
        check_explain(lab, table, "the I/O workload is best with asyncio, the CPU one with processes (GIL-bound)")

    def test_free_threaded_cpu(self, lab):
        table = {"cpu": {"sequential": 4.0, "threads": 1.2, "processes": 1.3, "asyncio": 4.0}}
        check_explain(lab, table, "threads sped the CPU workload up 3.3x: no GIL in the way (free-threaded build)")

    def test_models_that_were_not_measured(self, lab):
        table = {"io": {"sequential": 1.0, "threads": 0.5}, "cpu": {"sequential": 2.0, "processes": 0.9}}
        check_explain(lab, table, "only the models in a row were measured; gil_bound needs both threads and processes")

    def test_ties_go_to_the_earlier_model(self, lab):
        table = {"a": {"sequential": 1.0, "threads": 0.5, "asyncio": 0.5, "gevent": 0.5},
                 "b": {"sequential": 1.0, "gevent": 1.0}}
        check_explain(lab, table, "on a tie, the model earlier in MODELS wins")

    def test_thresholds_use_the_exact_ratios(self, lab):
        table = {"just_below": {"sequential": 1.497, "threads": 1.0, "processes": 0.5},
                 "processes_exactly_1_5": {"sequential": 3.0, "threads": 3.0, "processes": 2.0},
                 "both_fast": {"sequential": 3.0, "threads": 1.5, "processes": 1.0}}
        check_explain(lab, table, "threads below 1.5x (exactly, not after rounding) and processes at least 1.5x")

    def test_random_tables(self, lab):
        rng = random.Random()
        for _ in range(30):
            table = {}
            for w in range(rng.randint(1, 3)):
                row = {"sequential": round(rng.uniform(0.5, 5.0), 3)}
                for m in MODELS[1:]:
                    if rng.random() < 0.8:
                        row[m] = rng.choice([row["sequential"], round(rng.uniform(0.1, 6.0), 3)])
                table[f"w{w}"] = row
            check_explain(lab, table, "a random table")

    def test_errors_and_empty(self, lab):
        with pytest.raises(ValueError):
            call_with_timeout(lab.explain, {"io": {"threads": 0.5, "asyncio": 0.4}}, timeout=5)
        assert call_with_timeout(lab.explain, {}, timeout=5) == {}
