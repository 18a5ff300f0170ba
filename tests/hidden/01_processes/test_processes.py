"""Hidden tests for 01_processes (module ``processes``).

worker_identity and run_squares run in-process once per start method (``ctx``). SquareWorker uses
the global default start method, so it also runs in child interpreters that call
``set_start_method(m, force=True)``. The ``__main__`` guard is checked by running processes.py as a
script in a child interpreter (own session, whole group killed afterwards). stop_worker stops
workers that obey, ignore or handle SIGTERM (grader.probes.process_tasks); a spy records its
terminate/kill/join calls on the worker without reaping it, and psutil shows any zombie left.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass

import psutil
import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.child import run_child
from grader.probes.process_tasks import (
    NOT_TOGETHER,
    CrashInt,
    RendezvousInt,
    WhereInt,
    clean_up_on_sigterm,
    die_at_once,
    exit_with,
    ignore_sigterm,
    run_until_signalled,
    start_method_of,
)
from grader.probes.student import wait_until


@pytest.fixture
def processes():
    return load_student("processes")


#: the start method used by the error-path tests (one method is enough to see a hang)
ONE_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _fake_one_cpu(monkeypatch) -> None:
    """Make this host look like one CPU, so code sized by os.cpu_count() behaves the same everywhere."""
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 1, raising=False)


def _record_start_and_join(monkeypatch) -> tuple[list, list]:
    """Spy on Process.start/join in this process: (started processes, processes joined to the end)."""
    started, joined = [], []
    real_start, real_join = multiprocessing.process.BaseProcess.start, multiprocessing.process.BaseProcess.join

    def start(self):
        started.append(self)
        return real_start(self)

    def join(self, timeout=None):
        result = real_join(self, timeout)
        if self.exitcode is not None:
            joined.append(self)
        return result

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", join)
    return started, joined


def _gives_up(fn, *args, what: str) -> None:
    """fn(*args) must raise queue.Empty within a few seconds (its TIMEOUT is 0.5 s), not wait forever."""
    try:
        with pytest.raises(queue.Empty):
            call_with_timeout(fn, *args, timeout=5)
    except pytest.fail.Exception as exc:
        if "did not return" not in str(exc):
            raise
        pytest.fail(
            f"{fn.__name__}() waited forever for {what} that died without sending anything: take "
            "results with get(timeout=TIMEOUT) (the grader sets TIMEOUT to 0.5 s), so that "
            "queue.Empty ends the wait",
            pytrace=False,
        )


def _student_file(request) -> str:
    folder = request.config.getoption("--student-dir") or "."
    path = os.path.join(os.path.abspath(folder), "processes.py")
    if not os.path.isfile(path):
        pytest.fail("processes.py was not found in the submission", pytrace=False)
    return path


# --------------------------------------------------------------------------- worker_identity
class TestWorkerIdentity:
    def test_pid_and_ppid_come_from_a_started_child(self, processes, ctx, monkeypatch):
        method = ctx.get_start_method()
        started, _ = _record_start_and_join(monkeypatch)
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
        assert pid in [proc.pid for proc in started], (
            f"[{method}] the reported pid {pid!r} is not the pid of a process worker_identity started: "
            "report os.getpid() from inside the child you started"
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

    def test_a_child_that_dies_is_not_waited_for_forever(self, processes, monkeypatch):
        # The child ends without reporting anything; TIMEOUT is shortened to 0.5 s.
        monkeypatch.setattr(processes, "send_identity", die_at_once)
        monkeypatch.setattr(processes, "TIMEOUT", 0.5)
        ctx = multiprocessing.get_context(ONE_METHOD)
        _gives_up(processes.worker_identity, ctx, what="a child")


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

    def test_square_is_computed_in_the_child(self, processes):
        q = multiprocessing.Queue()
        worker = processes.SquareWorker(WhereInt(8), q)
        worker.start()
        try:
            item = q.get(timeout=5)
        except queue.Empty:
            pytest.fail("nothing arrived on out_q within 5 s", pytrace=False)
        finally:
            if worker.pid is not None:
                worker.join(5)
        square = item[1] if isinstance(item, tuple) and len(item) == 3 else None
        assert square == 64, f"expected the tuple (8, 64, pid) on the queue, got {item!r}"
        where = getattr(square, "where", None)
        assert where is not None and where[0] == worker.pid, (
            "x * x was not computed in the worker process: compute it in run() (which runs in the "
            "child), not in __init__ (which runs in the parent)"
        )

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
from grader.probes.process_tasks import SlowInt
from processes import run_squares

if __name__ == "__main__":
    base = 1 << 1_600_000
    # The first process finishes last: its result is read last, so joining it any earlier blocks.
    xs = [SlowInt(base + 3, 0.6), SlowInt(base + 1, 0.3), SlowInt(base + 2, 0.0)]
    result = run_squares(xs, multiprocessing.get_context(sys.argv[1]))
    expected = sorted(x.value * x.value for x in xs)
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

    def test_uses_the_given_context_and_joins_every_process(self, processes, ctx, monkeypatch):
        method = ctx.get_start_method()
        started, joined = _record_start_and_join(monkeypatch)
        result = call_with_timeout(processes.run_squares, [WhereInt(3), WhereInt(2)], ctx, timeout=6)
        assert result == [4, 9], f"run_squares([3, 2]) returned {result!r}, expected [4, 9]"
        used = {start_method_of(square, os.getpid()) if hasattr(square, "where") else "?" for square in result}
        assert used == {method}, (
            f"run_squares(xs, ctx) was given a {method!r} context but its processes were started "
            f"with {sorted(used)}: use ctx.Process and ctx.Queue, and do not replace ctx when it is given"
        )
        not_joined = [p for p in started if p not in joined]
        assert started and not not_joined, (
            "run_squares() returned without join()ing every process it started: a process that "
            "has finished is only cleaned up by join()"
        )

    def test_empty_input(self, processes):
        result = call_with_timeout(processes.run_squares, [], multiprocessing.get_context(ONE_METHOD), timeout=6)
        assert result == [], f"run_squares([]) returned {result!r}, expected [] (no process to start)"

    def test_a_child_that_dies_is_not_waited_for_forever(self, processes, monkeypatch):
        # Squaring a CrashInt ends the child at once, so one result never comes; TIMEOUT is 0.5 s.
        monkeypatch.setattr(processes, "TIMEOUT", 0.5)
        ctx = multiprocessing.get_context(ONE_METHOD)
        _gives_up(processes.run_squares, [CrashInt(2), 3], ctx, what="one of the children")

    def test_drains_before_joining(self, processes, ctx):
        # Each square pickles to ~400 KB, far more than a pipe holds (64 KB): a child cannot exit
        # until the parent reads its result, so joining before draining waits forever. The
        # children finish in reverse order, so joining process i after the i-th get() blocks too.
        # It runs in a child interpreter so that a stuck run_squares() cannot start processes
        # after the test.
        method = ctx.get_start_method()
        res = run_child(_BIG_SQUARES_CHILD, timeout=8, args=[method])
        assert not res.timed_out, (
            f"[{method}] run_squares() did not return within 8 s when each result is ~400 KB: "
            "read every result (one get() per process) before you join any process; a child "
            "cannot exit while its data is still in the queue, and the i-th result you get is "
            "not necessarily from the i-th process"
        )
        assert res.returncode == 0, f"[{method}] run_squares() with large numbers failed: {res.describe()}"
        assert res.stdout.strip() == "ok", (
            f"[{method}] run_squares() returned wrong squares for large numbers ({res.stdout.strip()[:100]})"
        )

    def test_processes_run_at_the_same_time(self, processes, ctx, monkeypatch):
        # Squaring a RendezvousInt waits until all three are being squared at once. The host
        # looks like one CPU, so a Pool sized by os.cpu_count() fails on every machine.
        _fake_one_cpu(monkeypatch)
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


# Runs processes.py as __main__ (runpy, with sys.argv set as for `python processes.py METHOD`)
# and records the start method of every process it starts.
_ARGV_SPY_CHILD = r"""
import multiprocessing, multiprocessing.process, runpy, sys
script, method = sys.argv[1], sys.argv[2]
used = []
real_start = multiprocessing.process.BaseProcess.start

def start(self):
    used.append(getattr(self, "_start_method", None) or multiprocessing.get_start_method())
    return real_start(self)

multiprocessing.process.BaseProcess.start = start
sys.argv = [script, method]
runpy.run_path(script, run_name="__main__")
print("USED " + ",".join(used), flush=True)
"""


class TestMainGuard:
    def test_argv_chooses_the_start_method(self, request):
        # A method that is not this platform's default, so ignoring argv shows.
        method = "spawn" if sys.platform.startswith("linux") else "forkserver"
        script = _student_file(request)
        res = run_child(_ARGV_SPY_CHILD, timeout=10, args=[script, method])
        assert not res.timed_out and res.returncode == 0, (
            f"`python processes.py {method}` failed: {res.describe()}"
        )
        lines = res.stdout.strip().splitlines()
        used = lines[-1].split(" ", 1)[1].split(",") if lines and lines[-1].startswith("USED ") else []
        assert lines[:1] == ["[0, 1, 4, 9, 16]"] and used, (
            f"`python processes.py {method}` printed {res.stdout.strip()[:200]!r}, expected [0, 1, 4, 9, 16]"
        )
        assert set(used) == {method}, (
            f"`python processes.py {method}` started its processes with {sorted(set(used))}, not "
            f"{method}: main(argv) must build ctx = multiprocessing.get_context(argv[0]) and pass "
            "that ctx to run_squares"
        )

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


# --------------------------------------------------------------------------- stop_worker
#: grace of the tests whose worker ends within 0.3 s of SIGTERM: far longer than the call may take
LONG_GRACE = 8.0
#: how long stop_worker() may take when the worker ends within 0.3 s (it must not wait out the grace)
STOP_LIMIT = 5.0


@dataclass
class _Call:
    """One terminate()/kill()/join() of the worker: when it was called and the returncode after it."""

    name: str
    at: float
    timeout: object = None
    returncode: int | None = None


def _watch_stopping(monkeypatch, proc, kill_delay: float = 0.0) -> list[_Call]:
    """Record this process's terminate/kill/join calls on ``proc``, in order.

    The spy reads ``_popen.returncode`` (set by a wait or a poll), never ``exitcode``, which would
    poll and so reap the worker itself. With ``kill_delay``, ``kill()`` returns at once and the
    SIGKILL goes out that much later (a process with much memory to free takes a while to die):
    an exitcode read right after kill() is then None every time, not only when the race says so.
    """
    calls: list[_Call] = []
    owner = os.getpid()
    base = multiprocessing.process.BaseProcess
    real = {name: getattr(base, name) for name in ("terminate", "kill", "join")}

    def delayed_kill(self):
        timer = threading.Timer(kill_delay, real["kill"], args=(self,))
        timer.daemon = True
        timer.start()

    def spy(name):
        def method(self, *args, **kwargs):
            if self is not proc or os.getpid() != owner:
                return real[name](self, *args, **kwargs)
            call = _Call(name, time.monotonic(), (args or (kwargs.get("timeout"),))[0] if name == "join" else None)
            try:
                if name == "kill" and kill_delay:
                    return delayed_kill(self)
                return real[name](self, *args, **kwargs)
            finally:
                call.returncode = getattr(self._popen, "returncode", None)
                calls.append(call)

        return method

    for name in real:
        monkeypatch.setattr(base, name, spy(name))
    return calls


def _start_worker(ctx, target, *args):
    """Start ``target(ready, *args)`` in a ctx process; return it once its SIGTERM handling is set up."""
    ready = ctx.Event()
    proc = ctx.Process(target=target, args=(ready, *args), name=target.__name__)
    proc.start()
    assert ready.wait(15), f"the test's worker {target.__name__} did not start within 15 s"
    return proc


def _stop(processes, proc, grace, *, why_quick: str):
    """stop_worker(proc, grace) with a deadline: STOP_LIMIT when the worker ends by itself within 0.3 s."""
    limit = STOP_LIMIT if grace > STOP_LIMIT else grace + STOP_LIMIT
    try:
        return call_with_timeout(processes.stop_worker, proc, grace, timeout=limit)
    except pytest.fail.Exception as exc:
        if "did not return" not in str(exc):
            raise
        pytest.fail(
            f"stop_worker(proc, grace={grace:g}) did not return within {limit:g} s although {why_quick}: "
            "wait with join(grace), which returns as soon as the process has ended, instead of sleeping "
            "the grace period",
            pytrace=False,
        )


def _check_reaped(calls: list[_Call], pid: int, method: str) -> None:
    """The last call was a join() that ended the process, and its pid is gone (no zombie)."""
    assert calls and calls[-1].name == "join" and calls[-1].returncode is not None, (
        f"[{method}] stop_worker() returned without a final join() of the stopped process "
        f"(its calls: {', '.join(c.name + '()' for c in calls) or 'none'}): join() it after the "
        "last signal; join() is what reaps a process that has ended"
    )
    if wait_until(lambda: not psutil.pid_exists(pid), 2.0):
        return
    try:
        zombie = psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return
    assert not zombie, (
        f"[{method}] the stopped process is a zombie: it has ended, but nobody reaped it. join() it "
        "before returning"
    )
    pytest.fail(f"[{method}] the process is still running after stop_worker() returned", pytrace=False)


def _signals(calls: list[_Call]) -> list[str]:
    return [c.name for c in calls if c.name != "join"]


class TestStopWorker:
    def test_a_worker_that_obeys_sigterm_is_terminated(self, processes, ctx, monkeypatch):
        method = ctx.get_start_method()
        proc = _start_worker(ctx, run_until_signalled)
        pid = proc.pid
        calls = _watch_stopping(monkeypatch, proc)
        code = _stop(processes, proc, LONG_GRACE, why_quick="the worker ends at once on SIGTERM")
        assert _signals(calls)[:1] == ["terminate"], (
            f"[{method}] stop_worker() sent {_signals(calls) or 'no signal'} ({', '.join(c.name for c in calls)}): "
            "ask first with terminate() (SIGTERM), and kill() only a process still alive after the grace period"
        )
        assert code == -signal.SIGTERM, (
            f"[{method}] stop_worker() returned {code!r} for a worker that SIGTERM ends at once, expected "
            f"{-signal.SIGTERM} (-SIGTERM): return proc.exitcode once the process has been joined"
        )
        assert "kill" not in _signals(calls), (
            f"[{method}] stop_worker() called kill() on a worker that SIGTERM had already ended"
        )
        _check_reaped(calls, pid, method)

    def test_a_worker_that_ignores_sigterm_is_killed_after_the_grace_period(self, processes, ctx, monkeypatch):
        method, grace = ctx.get_start_method(), 0.5
        proc = _start_worker(ctx, ignore_sigterm)
        pid = proc.pid
        calls = _watch_stopping(monkeypatch, proc, kill_delay=0.2)
        code = _stop(processes, proc, grace, why_quick="SIGKILL ends the worker at once")
        signals = _signals(calls)
        assert code == -signal.SIGKILL, (
            f"[{method}] stop_worker() returned {code!r} for a worker that ignores SIGTERM, expected "
            f"{-signal.SIGKILL} (-SIGKILL): if the process is still alive after join(grace), kill() it, "
            "join() it again, and return its exitcode"
            + (" (it was never killed)" if "kill" not in signals else "")
        )
        assert signals[:1] == ["terminate"] and "kill" in signals, (
            f"[{method}] stop_worker() sent {signals}: terminate() first, then kill() only if it is still alive"
        )
        asked = next(c.at for c in calls if c.name == "terminate")
        killed = next(c.at for c in calls if c.name == "kill")
        assert killed - asked >= 0.9 * grace, (
            f"[{method}] stop_worker() killed the worker {killed - asked:.2f} s after terminate(), before "
            f"its grace period of {grace:g} s was over: give it the whole grace period (join(grace)) first"
        )
        _check_reaped(calls, pid, method)
        assert [c.name for c in calls if c.at >= killed][1:2] == ["join"], (
            f"[{method}] after kill() the process must be joined again, so that it is reaped"
        )

    def test_the_grace_period_lets_a_worker_clean_up(self, processes, ctx, monkeypatch):
        # The worker handles SIGTERM: it cleans up for 0.3 s, then exits with code 0.
        method = ctx.get_start_method()
        proc = _start_worker(ctx, clean_up_on_sigterm, 0.3)
        pid = proc.pid
        calls = _watch_stopping(monkeypatch, proc)
        code = _stop(processes, proc, LONG_GRACE, why_quick="the worker exits 0.3 s after SIGTERM")
        assert code == 0, (
            f"[{method}] stop_worker(proc, grace={LONG_GRACE:g}) returned {code!r} for a worker that cleans "
            "up for 0.3 s after SIGTERM and then exits with code 0, expected 0: "
            + ("it was killed before the grace period was over; wait with join(grace) before kill()"
               if "kill" in _signals(calls) else
               "wait for it (join(grace)) before you read exitcode")
        )
        assert _signals(calls)[:1] == ["terminate"], f"[{method}] stop_worker() should ask with terminate() first"
        _check_reaped(calls, pid, method)

    def test_a_worker_that_exits_by_itself_gives_its_exit_code(self, processes, ctx, monkeypatch):
        method = ctx.get_start_method()
        # It ignores SIGTERM, and exits with code 3 0.3 s later, within the grace period.
        proc = _start_worker(ctx, ignore_sigterm, 0.3, 3)
        pid = proc.pid
        calls = _watch_stopping(monkeypatch, proc)
        code = _stop(processes, proc, LONG_GRACE, why_quick="the worker exits by itself 0.3 s later")
        assert code == 3, (
            f"[{method}] stop_worker() returned {code!r} for a worker that exits with code 3 within the "
            "grace period, expected 3: wait for it (join(grace)), and return the exitcode it ended with"
        )
        _check_reaped(calls, pid, method)
        # Already finished (a zombie under fork and spawn) before stop_worker is called.
        done = ctx.Process(target=exit_with, args=(3,), name="exit_with")
        done.start()
        assert multiprocessing.connection.wait([done.sentinel], 15), "the test's worker did not exit within 15 s"
        pid = done.pid
        calls = _watch_stopping(monkeypatch, done)
        code = _stop(processes, done, LONG_GRACE, why_quick="the worker had already exited")
        assert code == 3, (
            f"[{method}] stop_worker() returned {code!r} for a process that had already exited with code 3, "
            "expected 3"
        )
        _check_reaped(calls, pid, method)
