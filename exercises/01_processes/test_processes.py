"""Visible tests for 01_processes. Run them with:  pytest exercises/01_processes

They are a friendly subset of what the grader checks. Every wait has a timeout, so a mistake
shows up as a failure, never as a hang.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

import processes
from processes import SquareWorker, run_squares, stop_worker, worker_identity

METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
SCRIPT = os.path.abspath(processes.__file__)


def call_with_timeout(fn, *args, timeout=10.0):
    """Run fn(*args) in a helper thread; fail the test if it has not returned after `timeout` s."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {timeout:g} s (is it waiting for something "
                    "that never comes, or joining before reading the queue?)")
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture(autouse=True)
def stop_leftover_processes():
    """Terminate any process a test leaves running, so pytest can always exit."""
    before = {p.pid for p in multiprocessing.active_children()}
    yield
    for proc in multiprocessing.active_children():
        if proc.pid not in before:
            proc.terminate()
            proc.join(2)
            if proc.is_alive():  # it ignores SIGTERM
                proc.kill()
                proc.join(2)


class TestWorkerIdentity:
    @pytest.mark.parametrize("method", METHODS)
    def test_reports_a_child_pid(self, method):
        pid, ppid = call_with_timeout(worker_identity, multiprocessing.get_context(method))
        assert pid != os.getpid(), "the pid is this process's own: call start(), not run()"
        if method != "forkserver":  # a forkserver child's parent is the fork server
            assert ppid == os.getpid(), "the child's parent should be this process"


class TestSquareWorker:
    def test_run_puts_x_square_and_pid(self):
        q = multiprocessing.Queue()
        worker = SquareWorker(6, q)
        assert isinstance(worker, multiprocessing.Process)
        worker.start()
        try:
            item = q.get(timeout=5)
        except queue.Empty:
            pytest.fail("nothing arrived on out_q within 5 s: run() must put (x, x * x, os.getpid()) on it")
        finally:
            if worker.pid is not None:
                worker.join(5)
        x, square, pid = item
        assert (x, square) == (6, 36)
        assert pid != os.getpid(), "the square was computed in this process: override run(), not start()"


class TestRunSquares:
    @pytest.mark.parametrize("method", METHODS)
    def test_sorted_squares(self, method):
        assert call_with_timeout(run_squares, [3, 1, 2], multiprocessing.get_context(method)) == [1, 4, 9]
        assert not multiprocessing.active_children(), "join every process before returning"


class TestMainGuard:
    @pytest.mark.parametrize("method", [m for m in METHODS if m != "fork"])
    def test_script_under_method(self, method):
        posix = os.name == "posix"
        proc = subprocess.Popen([sys.executable, SCRIPT, method], cwd=os.path.dirname(SCRIPT),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=posix)
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)  # the script and every process it started
            else:
                proc.kill()
            proc.communicate()
            pytest.fail(f"`python processes.py {method}` did not finish within 15 s: is every call "
                        'under `if __name__ == "__main__":`?')
        assert proc.returncode == 0, f"`python processes.py {method}` failed:\n{err}"
        assert out.strip() == "[0, 1, 4, 9, 16]"


def ignore_sigterm(ready):
    """A worker that ignores SIGTERM (only SIGKILL ends it). Started with fork: under spawn and
    forkserver a child could not import this test module."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(60)


class TestStopWorker:
    @pytest.mark.parametrize("method", METHODS)
    def test_a_sleeping_worker_ends_on_sigterm(self, method):
        proc = multiprocessing.get_context(method).Process(target=time.sleep, args=(60,))
        proc.start()
        code = call_with_timeout(stop_worker, proc, 6.0, timeout=4.0)
        assert code == -signal.SIGTERM, (
            f"expected {-signal.SIGTERM} (-SIGTERM), got {code!r}: wait for the process (join) before reading exitcode"
        )
        assert not proc.is_alive()

    @pytest.mark.skipif("fork" not in METHODS, reason="this test starts its worker with fork")
    def test_a_worker_that_ignores_sigterm_is_killed(self):
        ctx = multiprocessing.get_context("fork")
        ready = ctx.Event()
        proc = ctx.Process(target=ignore_sigterm, args=(ready,))
        proc.start()
        assert ready.wait(10), "the worker did not start"
        code = call_with_timeout(stop_worker, proc, 0.5, timeout=5.0)
        assert code == -signal.SIGKILL, (
            f"expected {-signal.SIGKILL} (-SIGKILL), got {code!r}: kill() what is still alive after the grace period"
        )
        assert not proc.is_alive()
