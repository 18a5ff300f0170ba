"""Visible tests for 05_daemon. Run them with:  pytest exercises/05_daemon

They are a friendly subset of what the grader checks (the grader also runs your code in fresh
interpreters to watch what happens at exit). Every wait has a timeout, and whatever a test
starts is stopped afterwards, so a mistake shows up as a failure, never as a hang.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading
import time

import pytest

import daemons
from daemons import start_daemon_logger, start_heartbeat, supervise

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


def call_with_timeout(fn, *args, timeout=10.0, **kwargs):
    """Run fn in a helper thread; fail the test if it has not returned after `timeout` s."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def size(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def lines(path):
    if not os.path.exists(path):
        return 0
    with open(path) as fh:
        return fh.read().count("\n")


@pytest.fixture(autouse=True)
def stop_leftover_processes():
    """Terminate any process a test leaves running, so pytest can always exit."""
    before = {p.pid for p in multiprocessing.active_children()}
    yield
    for proc in multiprocessing.active_children():
        if proc.pid not in before:
            proc.terminate()
            proc.join(2)


class _Stop(SystemExit):
    pass


class StoppableEvent(threading.Event):
    """An Event whose waiters end (quietly) once the test is over, daemon threads or not."""

    closed = False

    def wait(self, timeout=None):
        result = super().wait(timeout)
        if self.closed:
            raise _Stop
        return result

    def close(self, threads):
        previous = threading.excepthook
        threading.excepthook = lambda args: None if issubclass(args.exc_type, _Stop) else previous(args)
        try:
            self.closed = True
            self.set()
            for thread in threads:
                thread.join(2)
        finally:
            threading.excepthook = previous


class TestStartHeartbeat:
    @pytest.mark.parametrize("method", METHODS)
    def test_running_daemon_process_that_writes(self, method, tmp_path):
        path = str(tmp_path / "heartbeat.txt")
        proc = call_with_timeout(start_heartbeat, path, interval=0.02, ctx=multiprocessing.get_context(method))
        try:
            assert isinstance(proc, multiprocessing.process.BaseProcess), "return the process, not a thread"
            assert proc.daemon is True, "pass daemon=True to ctx.Process(...)"
            assert proc.is_alive(), "start() the process and do not join it"
            assert wait_until(lambda: size(path) >= 3, 5), "the heartbeat file should get a '.' every interval"
        finally:
            if isinstance(proc, multiprocessing.process.BaseProcess):
                proc.terminate()
                proc.join(5)


class TestSupervise:
    @pytest.mark.parametrize("method", METHODS)
    def test_exit_codes(self, method):
        ctx = multiprocessing.get_context(method)
        assert call_with_timeout(supervise, functools.partial(sys.exit, 3), ctx) == 3
        assert call_with_timeout(supervise, functools.partial(sys.exit, 0), ctx) == 0

    def test_job_that_starts_a_process(self):
        # The job is supervise() itself: it starts a process of its own, which only a
        # non-daemon process may do.
        job = functools.partial(daemons.supervise, functools.partial(sys.exit, 0))
        assert call_with_timeout(supervise, job) == 0, "a daemonic process is not allowed to have children"


class TestStartDaemonLogger:
    def test_daemon_thread_logs_each_event(self, tmp_path):
        path = str(tmp_path / "log.txt")
        event = StoppableEvent()
        before = set(threading.enumerate())
        try:
            # called directly, not from a helper thread: a new thread inherits the daemon flag
            # of the thread that creates it
            thread = start_daemon_logger(event, path)
            assert isinstance(thread, threading.Thread)
            assert thread.daemon is True, "create the thread with daemon=True"
            for i in range(1, 4):
                event.set()
                assert wait_until(lambda: not event.is_set() and lines(path) >= i, 3), (
                    f"event {i}: the logger should write a line and then clear() the event"
                )
            assert lines(path) == 3
        finally:
            event.close(set(threading.enumerate()) - before)
