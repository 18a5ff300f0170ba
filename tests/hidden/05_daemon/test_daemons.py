"""Hidden tests for 05_daemon (module ``daemons``).

In-process tests check types and flags; what happens at interpreter exit is checked in child
interpreters (own session, whole process group killed afterwards), once per start method for
the heartbeat. The logger gets a StoppableEvent, so its thread always ends with the test, even a
non-daemon one that would otherwise keep pytest from exiting.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from multiprocessing.process import BaseProcess

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.child import pid_alive, run_child
from grader.probes import process_tasks


@pytest.fixture
def daemons():
    return load_student("daemons")


def _size(path) -> int:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def _lines(path) -> int:
    try:
        with open(path) as fh:
            return fh.read().count("\n")
    except FileNotFoundError:
        return 0


def _wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def _call_in_plain_thread(fn, *args, timeout: float):
    """Like call_with_timeout, but from a NON-daemon thread: a new Thread inherits its creator's
    daemon flag, so calling from call_with_timeout's daemon thread would hide a missing daemon=True."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    caller = threading.Thread(target=target, name="call-" + fn.__name__, daemon=False)
    caller.start()
    caller.join(timeout)
    if caller.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {timeout:g} s: start the thread, do not wait for it",
                    pytrace=False)
    if "error" in box:
        raise box["error"]
    return box["value"]


def _method_of(proc) -> str | None:
    """The start method a started process was really created with (its Popen class says it)."""
    popen = getattr(proc, "_popen", None)
    return getattr(popen, "method", None)


@pytest.fixture
def started_processes(monkeypatch):
    """Records every process started in this (the test's) process, with the start method used."""
    started: list[tuple[BaseProcess, str | None]] = []
    original = BaseProcess.start

    def start(self):
        result = original(self)
        started.append((self, _method_of(self)))
        return result

    monkeypatch.setattr(BaseProcess, "start", start)
    return started


@pytest.fixture
def short_join_timeouts(monkeypatch):
    """``Process.join(t)`` with a timeout waits at most 0.05 s, in the test's process only.

    That is how a job that runs longer than any fixed timeout looks to the caller: a join that
    gives up while the child still runs. ``join()`` without a timeout is unchanged.
    """
    original = BaseProcess.join
    test_pid = os.getpid()

    def join(self, timeout=None):
        if timeout is not None and os.getpid() == test_pid:
            timeout = min(timeout, 0.05)
        return original(self, timeout)

    monkeypatch.setattr(BaseProcess, "join", join)


# --------------------------------------------------------------------------- start_heartbeat
_HEARTBEAT_CHILD = r"""
import multiprocessing, os, sys, time
from daemons import start_heartbeat

if __name__ == "__main__":
    path, method = sys.argv[1], sys.argv[2]
    proc = start_heartbeat(path, interval=0.02, ctx=multiprocessing.get_context(method))
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) >= 3:
            break
        time.sleep(0.01)
    print(proc.pid, os.path.exists(path) and os.path.getsize(path), flush=True)
    # the main code ends here: the interpreter should exit right away
"""


class TestStartHeartbeat:
    def test_returns_running_daemon_process(self, daemons, ctx, tmp_path):
        path = str(tmp_path / "heartbeat.txt")
        proc = call_with_timeout(daemons.start_heartbeat, path, interval=0.02, ctx=ctx, timeout=5)
        try:
            assert isinstance(proc, BaseProcess), (
                f"start_heartbeat() returned {type(proc).__name__}, expected a process "
                "(ctx.Process(...)), not a thread"
            )
            assert proc.daemon is True, "the heartbeat process is not a daemon: pass daemon=True to ctx.Process(...)"
            assert proc.is_alive(), "the heartbeat process is not running: start() it and do not join it"
            method = ctx.get_start_method()
            assert _method_of(proc) == method, (
                f"start_heartbeat(ctx=<{method} context>) started the process with {_method_of(proc)!r}, "
                f"not {method!r}: use ctx = ctx or multiprocessing.get_context(), then ctx.Process(...)"
            )
            assert _wait_until(lambda: _size(path) >= 3, 5), (
                f"the heartbeat wrote {_size(path)} dot(s) in 5 s with interval 0.02: beat() must append "
                "'.' to the file every interval seconds"
            )
            before = _size(path)
            assert _wait_until(lambda: _size(path) > before, 5), "the heartbeat file stopped growing"
            with open(path) as fh:
                text = fh.read()
            assert set(text) == {"."}, (
                f"the heartbeat file should hold only dots, one per beat, got {text[:12]!r}: write \".\" "
                "(print() adds a newline)"
            )
        finally:
            if isinstance(proc, BaseProcess) and proc.pid is not None:
                proc.terminate()
                proc.join(5)

    def test_beats_at_the_given_interval(self, daemons, tmp_path):
        path = str(tmp_path / "heartbeat.txt")
        proc = call_with_timeout(daemons.start_heartbeat, path, 1.0, timeout=5)
        try:
            assert isinstance(proc, BaseProcess), "start_heartbeat() should return the process"
            assert _wait_until(lambda: _size(path) >= 1, 5), "the heartbeat wrote nothing within 5 s"
            seen_at = time.monotonic()
            time.sleep(0.3)
            dots, elapsed = _size(path), time.monotonic() - seen_at
            allowed = 1 + int((elapsed + 0.5) / 1.0)  # generous: the first dot may have been seen late
            assert dots <= allowed, (
                f"with interval=1.0 the heartbeat wrote {dots} dots within {elapsed:.1f} s of the first one: "
                "beat() must sleep the interval it was given, not a fixed time"
            )
        finally:
            if isinstance(proc, BaseProcess) and proc.pid is not None:
                proc.terminate()
                proc.join(5)

    def test_interpreter_exits_and_heartbeat_dies(self, daemons, ctx, tmp_path):
        method = ctx.get_start_method()
        path = str(tmp_path / "heartbeat.txt")
        res = run_child(_HEARTBEAT_CHILD, timeout=5, args=[path, method])
        assert not res.timed_out, (
            f"[{method}] the interpreter did not exit within 5 s after its main code ended: a "
            "non-daemon child keeps it waiting; make the heartbeat a daemon (daemon=True before start())"
        )
        assert res.returncode == 0, f"[{method}] the child interpreter failed: {res.describe()}"
        fields = res.stdout.split()
        assert len(fields) == 2 and fields[0].isdigit(), f"[{method}] unexpected output {res.stdout!r}"
        pid, dots = int(fields[0]), fields[1]
        assert dots not in ("False", "0", "1", "2"), (
            f"[{method}] the heartbeat wrote too few dots in 3 s (file size {dots})"
        )
        assert _wait_until(lambda: not pid_alive(pid), 2), f"[{method}] the heartbeat process outlived its parent"
        size = _size(path)
        time.sleep(0.1)
        assert _size(path) == size, f"[{method}] the heartbeat file kept growing after the parent exited"


# --------------------------------------------------------------------------- supervise
class TestSupervise:
    def test_job_that_starts_a_helper_process(self, daemons, ctx, tmp_path):
        method = ctx.get_start_method()
        report = str(tmp_path / "job.json")
        job = functools.partial(process_tasks.job_with_helper, report, method)
        code = call_with_timeout(daemons.supervise, job, ctx=ctx, timeout=10)
        assert code == 0, (
            f"[{method}] supervise() returned {code!r} for a job that starts its own helper process "
            "and returns normally, expected 0 (a daemonic process is not allowed to have children: "
            "run the job in a non-daemon process, and return exitcode after join())"
        )
        assert os.path.exists(report), f"[{method}] the job never finished"
        with open(report) as fh:
            data = json.load(fh)
        assert data["job_pid"] != os.getpid(), f"[{method}] the job ran in the test process: start a child process"
        assert data["job_daemon"] is False, f"[{method}] the job ran in a daemon process"
        assert data["helper_ran"], f"[{method}] the job's helper process did not run"

    def test_returns_the_exit_code(self, daemons, ctx, started_processes):
        method = ctx.get_start_method()
        code = call_with_timeout(daemons.supervise, functools.partial(process_tasks.exit_with, 3), ctx=ctx, timeout=10)
        assert code == 3, f"[{method}] the job called sys.exit(3); supervise() returned {code!r}, expected 3"
        used = [m for _, m in started_processes]
        assert used and all(m == method for m in used), (
            f"[{method}] supervise(job, ctx=<{method} context>) started its child with {used}: use "
            "ctx = ctx or multiprocessing.get_context(), then ctx.Process(...), not multiprocessing.Process(...)"
        )
        code = call_with_timeout(daemons.supervise, process_tasks.fail_with_value_error, ctx=ctx, timeout=10)
        assert code == 1, f"[{method}] the job raised ValueError; supervise() returned {code!r}, expected 1"


    def test_waits_however_long_the_job_runs(self, daemons, short_join_timeouts):
        # join(t) gives up after 0.05 s here, so a job of 0.5 s outlasts any timeout you pick
        job = functools.partial(time.sleep, 0.5)
        code = call_with_timeout(daemons.supervise, job, timeout=10)
        assert code == 0, (
            f"supervise() returned {code!r} for a job that sleeps and returns: it did not wait until the job "
            "had finished. join() the child without a timeout (a job may run for any length of time), then "
            "return its exitcode"
        )


# --------------------------------------------------------------------------- start_daemon_logger
_LOGGER_CHILD = r"""
import sys, threading, time
from daemons import start_daemon_logger

def lines(path):
    try:
        with open(path) as fh:
            return fh.read().count("\n")
    except FileNotFoundError:
        return 0

def worker(event, path):
    # a NON-daemon thread: the interpreter waits for it, and the daemon logger lives meanwhile
    for i in range(1, 4):
        time.sleep(0.1)
        event.set()
        deadline = time.monotonic() + 3
        while (event.is_set() or lines(path) < i) and time.monotonic() < deadline:
            time.sleep(0.005)

path = sys.argv[1]
event = threading.Event()
logger = start_daemon_logger(event, path)
threading.Thread(target=worker, args=(event, path), name="worker").start()
print("main thread done", logger.daemon, flush=True)
# the main thread ends here; the interpreter exits once the worker has finished
"""


class WatchedEvent(process_tasks.StoppableEvent):
    """Notes the log's line count at every clear(); a wait(timeout) times out after 0.01 s at most
    (how any timeout looks when nobody sets the event for a long time)."""

    def __init__(self, path) -> None:
        super().__init__()
        self.path = path
        self.lines_at_clear: list[int] = []
        self.untimed_waiting = False  # someone waits in wait() without a timeout
        self.rewaits = 0  # wait() calls that began after an earlier wait had timed out

    def wait(self, timeout=None):
        if getattr(self, "_timed_out", False):
            self.rewaits += 1
        if timeout is None:
            self.untimed_waiting = True
            return super().wait(None)
        result = super().wait(min(timeout, 0.01))
        if not result:
            self._timed_out = True
        return result

    def settled(self) -> bool:
        """The logger is back waiting: in an untimed wait, or again after a timed-out one."""
        return self.untimed_waiting or self.rewaits > 0

    def clear(self) -> None:
        self.lines_at_clear.append(_lines(self.path))
        super().clear()


class TestStartDaemonLogger:
    def test_daemon_thread_logs_each_event(self, daemons, tmp_path):
        path = str(tmp_path / "log.txt")
        event = process_tasks.StoppableEvent()
        threads_before = set(threading.enumerate())
        try:
            thread = _call_in_plain_thread(daemons.start_daemon_logger, event, path, timeout=5)
            assert isinstance(thread, threading.Thread), (
                f"start_daemon_logger() returned {type(thread).__name__}, expected a threading.Thread"
            )
            assert thread.daemon is True, (
                "the logger thread is not a daemon: create it with threading.Thread(..., daemon=True)"
            )
            assert thread.is_alive(), "the logger thread is not running: start() it"
            for i in range(1, 4):
                event.set()
                consumed = _wait_until(lambda: not event.is_set() and _lines(path) >= i, 3)
                assert consumed, (
                    f"after the event was set for the {i}. time, the logger did not write line {i} and "
                    f"clear the event within 3 s (log has {_lines(path)} line(s), event set: {event.is_set()})"
                )
            time.sleep(0.05)
            assert _lines(path) == 3, f"3 events should give 3 lines, the log has {_lines(path)}"
        finally:
            # ends the logger thread, daemon or not, so it cannot keep this process alive
            event.close(set(threading.enumerate()) - threads_before)

    def test_logs_only_set_events_and_writes_before_clearing(self, daemons, tmp_path):
        path = str(tmp_path / "log.txt")
        event = WatchedEvent(path)
        threads_before = set(threading.enumerate())
        try:
            _call_in_plain_thread(daemons.start_daemon_logger, event, path, timeout=5)
            _wait_until(event.settled, 2)
            time.sleep(0.05)
            assert _lines(path) == 0, (
                f"the logger wrote {_lines(path)} line(s) although the event was never set: log only when "
                "the event is set (event.wait(timeout) returns False when the time ran out)"
            )
            for i in range(1, 4):
                event.set()
                consumed = _wait_until(lambda: not event.is_set() and _lines(path) >= i, 3)
                assert consumed, f"the logger did not write line {i} and clear the event within 3 s"
            assert event.lines_at_clear[:3] == [1, 2, 3], (
                f"when the logger cleared the event, the log had {event.lines_at_clear[:3]} line(s) (expected "
                "[1, 2, 3]): write (and close) the line first, then clear() the event"
            )
        finally:
            event.close(set(threading.enumerate()) - threads_before)

    def test_lives_until_non_daemon_threads_end(self, daemons, tmp_path):
        path = str(tmp_path / "log.txt")
        res = run_child(_LOGGER_CHILD, timeout=5, args=[path])
        assert not res.timed_out, (
            "the interpreter did not exit within 5 s after every non-daemon thread had finished: "
            "the logger thread keeps it alive; make it a daemon thread (daemon=True)"
        )
        assert res.returncode == 0, f"the child interpreter failed: {res.describe()}"
        assert res.stdout.strip() == "main thread done True", f"unexpected output {res.stdout.strip()!r}"
        assert _lines(path) == 3, (
            f"a non-daemon worker set the event 3 times after the main thread had ended; the log "
            f"has {_lines(path)} line(s), expected 3 (a daemon thread lives as long as any "
            "non-daemon thread does)"
        )
