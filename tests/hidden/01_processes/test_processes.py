"""Hidden tests for 01_processes (module ``processes``).

worker_identity and run_squares run in-process once per start method (``ctx``). SquareWorker uses
the global default start method, so it also runs in child interpreters that call
``set_start_method(m, force=True)``. The ``__main__`` guard is checked by running processes.py as a
script in a child interpreter (own session, whole group killed afterwards).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue

import psutil
import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.child import run_child
from grader.probes.process_tasks import NOT_TOGETHER, RendezvousInt


@pytest.fixture
def processes():
    return load_student("processes")


def _student_file(request) -> str:
    folder = request.config.getoption("--student-dir") or "."
    path = os.path.join(os.path.abspath(folder), "processes.py")
    if not os.path.isfile(path):
        pytest.fail("processes.py was not found in the submission", pytrace=False)
    return path


# --------------------------------------------------------------------------- worker_identity
class TestWorkerIdentity:
    def test_pid_and_ppid_come_from_a_started_child(self, processes, ctx):
        method = ctx.get_start_method()
        result = call_with_timeout(processes.worker_identity, ctx, timeout=5)
        assert isinstance(result, tuple) and len(result) == 2, (
            f"worker_identity() should return a tuple (pid, ppid), got {result!r}"
        )
        pid, ppid = result
        me = os.getpid()
        assert pid != me, (
            f"[{method}] the reported pid is the test process's own pid: the code ran in this "
            "process (did you call run() instead of start()?)"
        )
        if method == "forkserver":
            # forkserver children are forked by the fork server, itself a child of this process
            assert ppid != pid and psutil.Process(ppid).ppid() == me, (
                f"[forkserver] the reported ppid {ppid} is not the fork server started by this "
                "process: report os.getppid() from inside the child"
            )
        else:
            assert ppid == me, (
                f"[{method}] the reported ppid is {ppid}, expected this process ({me}): report "
                "os.getppid() from inside the child"
            )

    def test_child_is_joined_and_gone(self, processes, ctx):
        pid, _ = call_with_timeout(processes.worker_identity, ctx, timeout=5)
        assert not psutil.pid_exists(pid), (
            "the child process still exists after worker_identity() returned: join() it"
        )


# --------------------------------------------------------------------------- SquareWorker
_SQUARE_WORKER_CHILD = r"""
import json, multiprocessing, os, sys
multiprocessing.set_start_method(sys.argv[1], force=True)
from processes import SquareWorker

if __name__ == "__main__":
    q = multiprocessing.Queue()
    workers = [SquareWorker(x, q) for x in (3, 4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(8)
    got = []
    for _ in workers:
        try:
            got.append(list(q.get(timeout=2)))
        except Exception:
            break
    print(json.dumps({"parent": os.getpid(), "got": sorted(got),
                      "pids": [w.pid for w in workers], "exitcodes": [w.exitcode for w in workers]}))
"""


class TestSquareWorker:
    def test_in_process_default_start_method(self, processes):
        q = multiprocessing.Queue()
        worker = processes.SquareWorker(7, q)
        assert isinstance(worker, multiprocessing.process.BaseProcess), (
            "SquareWorker must subclass multiprocessing.Process"
        )
        worker.start()
        try:
            try:
                item = q.get(timeout=5)
            except queue.Empty:
                pytest.fail("nothing arrived on out_q within 5 s: run() must put (x, x * x, os.getpid()) "
                            "on the queue (attributes set in the child never reach the parent)",
                            pytrace=False)
        finally:
            if worker.pid is not None:
                worker.join(5)
        assert isinstance(item, tuple) and len(item) == 3 and item[:2] == (7, 49), (
            f"expected the tuple (7, 49, pid) on the queue, got {item!r}"
        )
        assert item[2] != os.getpid(), (
            "x * x was computed in the test process itself: override run(), not start(); "
            "start() is what creates the child"
        )
        assert item[2] == worker.pid, "the pid on the queue should be the worker's own pid"
        assert worker.exitcode == 0, f"the worker process exited with code {worker.exitcode}"

    def test_each_global_start_method(self, processes, ctx):
        method = ctx.get_start_method()
        res = run_child(_SQUARE_WORKER_CHILD, timeout=15, args=[method])
        assert not res.timed_out and res.returncode == 0, (
            f"[{method}] starting two SquareWorkers in a fresh interpreter failed: {res.describe()}"
        )
        lines = res.stdout.strip().splitlines()
        assert lines, f"[{method}] the child interpreter printed nothing: {res.describe()}"
        report = json.loads(lines[-1])
        got = report["got"]
        assert [g[:2] for g in got] == [[3, 9], [4, 16]], (
            f"[{method}] expected (3, 9, pid) and (4, 16, pid) on the queue, got {got}; "
            "run() must put its result on the queue"
        )
        pids = [g[2] for g in got]
        assert report["parent"] not in pids, (
            f"[{method}] the squares were computed in the parent: override run(), not start()"
        )
        assert sorted(pids) == sorted(report["pids"]) and len(set(pids)) == 2, (
            f"[{method}] each worker should report its own pid"
        )
        assert report["exitcodes"] == [0, 0], f"[{method}] worker exit codes {report['exitcodes']}"


# --------------------------------------------------------------------------- run_squares
_BIG_SQUARES_CHILD = r"""
import multiprocessing, sys
from processes import run_squares

if __name__ == "__main__":
    base = 1 << 1_600_000
    xs = [base + 3, base + 1, base + 2]
    result = run_squares(xs, multiprocessing.get_context(sys.argv[1]))
    expected = sorted(x * x for x in xs)
    if result == expected:
        print("ok")
    else:
        print("wrong:", type(result).__name__, len(result) if isinstance(result, list) else "")
"""


class TestRunSquares:
    def test_returns_sorted_squares(self, processes, ctx):
        result = call_with_timeout(processes.run_squares, [3, -1, 2, 0], ctx, timeout=6)
        assert result == [0, 1, 4, 9], f"run_squares([3, -1, 2, 0]) returned {result!r}, expected [0, 1, 4, 9]"
        assert not multiprocessing.active_children(), "run_squares() left processes running: join them all"

    def test_drains_before_joining(self, processes, ctx):
        # Each square pickles to ~400 KB, far more than a pipe holds (64 KB): a child cannot exit
        # until the parent reads its result, so joining before draining waits forever. It runs in
        # a child interpreter so that a stuck run_squares() cannot start processes after the test.
        method = ctx.get_start_method()
        res = run_child(_BIG_SQUARES_CHILD, timeout=8, args=[method])
        assert not res.timed_out, (
            f"[{method}] run_squares() did not return within 8 s when each result is ~400 KB: "
            "read every result (one get() per process) before you join any process; a child "
            "cannot exit while its data is still in the queue"
        )
        assert res.returncode == 0, f"[{method}] run_squares() with large numbers failed: {res.describe()}"
        assert res.stdout.strip() == "ok", (
            f"[{method}] run_squares() returned wrong squares for large numbers ({res.stdout.strip()[:100]})"
        )

    def test_processes_run_at_the_same_time(self, processes, ctx):
        # Squaring a RendezvousInt waits until all three are being squared at once.
        with ctx.Manager() as manager:
            barrier = manager.Barrier(3)
            xs = [RendezvousInt(v, barrier, 3.0) for v in (5, 6, 7)]
            result = call_with_timeout(processes.run_squares, xs, ctx, timeout=8)
        assert isinstance(result, list), f"run_squares() should return a list, got {result!r}"
        assert NOT_TOGETHER not in result, (
            "the worker processes did not run at the same time: start every process before "
            "you join (or wait for) any of them"
        )
        assert result == [25, 36, 49], f"run_squares() returned {result!r}, expected [25, 36, 49]"


# --------------------------------------------------------------------------- main_guard
_IMPORT_THEN_MAIN_CHILD = r"""
import multiprocessing, sys
method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
multiprocessing.set_start_method(method, force=True)
import processes
print("imported", len(multiprocessing.active_children()), flush=True)
processes.main([method])
"""


class TestMainGuard:
    def test_script_runs_under_start_method(self, request, ctx):
        method = ctx.get_start_method()
        script = _student_file(request)
        res = run_child("", script=script, args=[method], timeout=8)
        assert not res.timed_out, (
            f"`python processes.py {method}` did not finish within 8 s: under spawn and "
            "forkserver every child imports processes.py again, so code outside "
            '`if __name__ == "__main__":` runs in the children too'
        )
        assert res.returncode == 0, f"`python processes.py {method}` failed: {res.describe()}"
        assert res.stdout.strip().splitlines()[-1:] == ["[0, 1, 4, 9, 16]"], (
            f"`python processes.py {method}` printed {res.stdout.strip()!r}, expected [0, 1, 4, 9, 16]"
        )

    def test_import_runs_nothing_then_main_works(self, request):
        _student_file(request)
        res = run_child(_IMPORT_THEN_MAIN_CHILD, timeout=10)
        assert not res.timed_out, f"`import processes` then main() did not finish: {res.describe()}"
        lines = res.stdout.strip().splitlines()
        assert lines[:1] == ["imported 0"], (
            "importing processes.py printed output or started processes: call main() only under "
            f'`if __name__ == "__main__":` (stdout: {res.stdout.strip()[:200]!r})'
        )
        assert res.returncode == 0, f"main() failed when called after import: {res.describe()}"
        assert lines[1:] == ["[0, 1, 4, 9, 16]"], f"main() printed {lines[1:]!r}, expected [0, 1, 4, 9, 16]"
