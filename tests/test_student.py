"""The student's path through a fresh clone of the release: check, edit, check, status, hint, watch."""

import os
import pickle
import select
import shutil
import subprocess
import sys
import threading
import time

import pytest

from grader.grading.diagnose import explain
from grader.probes.lockdep import LockGraph, RecordingLock
from tests.conftest import MINI, run_grader, start_on_a_terminal


@pytest.fixture
def clone(tmp_path):
    """A fresh git clone of the mini course's release, as a student gets it."""
    release = tmp_path / "release"
    assert run_grader("--course", str(MINI / "course.yml"), "release", str(release)).returncode == 0
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=release, check=True)
    subprocess.run([*git, "add", "."], cwd=release, check=True)
    subprocess.run([*git, "commit", "-qm", "release"], cwd=release, check=True)
    target = tmp_path / "student"
    subprocess.run(["git", "clone", "-q", str(release), str(target)], check=True)
    return target


@pytest.mark.slow
def test_check_edit_check_status(clone):
    first = run_grader("check", cwd=clone)
    assert first.returncode == 0
    assert "01_basics 0/4 visible tests pass" in first.stdout and "Total" not in first.stdout
    verbose = run_grader("check", "-v", cwd=clone)
    assert verbose.stdout.count("failed test_basics.py::") == 3, "one failure shown per exercise"
    shutil.copy(MINI / "solutions/02_other/other.py", clone / "exercises/02_other/other.py")
    second = run_grader("check", "02_other", cwd=clone)
    assert "02_other 1/1 visible tests pass" in second.stdout and "failed" not in second.stdout
    assert "All visible tests pass" in second.stdout
    status = run_grader("status", cwd=clone)
    assert status.returncode == 0
    assert "course: 1/4 exercises done (25%)" in status.stdout
    assert "next: 01_basics/add in exercises/01_basics/basics.py" in status.stdout
    assert "not checked yet" not in status.stdout
    assert (clone / ".grader/state.json").exists() and ".grader/" in (clone / ".gitignore").read_text()


def test_hints_come_one_at_a_time_weakest_first(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    text = (course / "course.yml").read_text().replace('hints: ["Return a + b."]',
                                                       'hints: ["Look at the operator.", "Return a + b."]')
    (course / "course.yml").write_text(text)
    first = run_grader("hint", "add", cwd=course)
    assert first.stdout.splitlines()[0] == "hint 1/2 for 01_basics/add: Look at the operator."
    assert "again for a stronger hint" in first.stdout
    second = run_grader("hint", "01_basics/add", cwd=course)
    assert "hint 2/2 for 01_basics/add: Return a + b." in second.stdout
    assert run_grader("hint", "double", "--all", cwd=course).stdout.startswith("hint 1/1 for 02_other/double")
    wrong = run_grader("hint", "dubble", cwd=course)
    assert wrong.returncode == 2 and "did you mean double" in wrong.stderr


@pytest.mark.slow
def test_watch_rechecks_on_save_and_stops_cleanly_on_ctrl_c(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    pid, fd = start_on_a_terminal([sys.executable, "-m", "grader", "watch", "02_other"], cwd=course)
    seen = b""

    def read_until(needle: bytes, timeout: float = 60) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while needle not in seen:
            assert time.monotonic() < end, f"never saw {needle!r}; screen: {seen[-800:]!r}"
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break

    read_until(b"running...")
    assert b"watching for changes" not in seen, "running... is said at once, before the run ends"
    read_until(b"watching for changes")
    assert b"\x1b[2J" in seen, "the screen is cleared between runs"
    assert b"0/1 visible tests pass" in seen
    seen = b""
    time.sleep(0.5)
    shutil.copy(MINI / "solutions/02_other/other.py", course / "exercises/02_other/other.py")
    read_until(b"changed: other.py")
    read_until(b"watching for changes")
    assert b"1/1 visible tests pass" in seen
    os.write(fd, b"\x03")
    read_until(b"stopped watching")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130  # interrupted, like every command stopped with Ctrl-C
    assert b"Traceback" not in seen


def _pool_join_message() -> str:
    import multiprocessing

    pool = multiprocessing.get_context("spawn").Pool(1)
    try:
        pool.join()
    except ValueError as exc:
        return f"ValueError: {exc}"
    finally:
        pool.terminate()
        pool.join()
    raise AssertionError("join() on a running pool did not fail")


def _barrier_message() -> str:
    try:
        threading.Barrier(2).wait(timeout=0.01)
    except threading.BrokenBarrierError as exc:
        return f"{type(exc).__module__}.{type(exc).__name__}"
    raise AssertionError("unreachable")


def _pickle_message() -> str:
    try:
        pickle.dumps(lambda: 0)
    except (pickle.PicklingError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    raise AssertionError("a lambda pickled")


def _lockdep_message() -> str:
    graph = LockGraph()
    a, b = RecordingLock("a", graph), RecordingLock("b", graph)
    with a, b:
        pass
    with b, a:
        pass
    return graph.describe_cycle() or ""


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (_pickle_message(), "module-level functions"),
        (_pool_join_message(), "call pool.close() first"),
        (_barrier_message(), "submit every task with apply_async"),
        (_lockdep_message(), "one global order"),
        ("AssertionError: daemonic processes are not allowed to have children", "non-daemon process"),
        ("RuntimeError: An attempt has been made to start a new process before the current process has finished "
         "its bootstrapping phase.", 'if __name__ == "__main__"'),
        ("BlockingCallError: time.sleep(0.05) was called inside a running event loop", "await asyncio.sleep"),
        ("multiprocessing.context.TimeoutError", "not the built-in TimeoutError"),
        ("TypeError: Passing coroutines is forbidden, use tasks explicitly.", "asyncio.create_task"),
        ("RuntimeError: Queue objects should only be shared between processes through inheritance", "Manager()"),
        ("AssertionError: plain mistake", ""),
    ],
)
def test_common_failures_are_explained_with_the_fix(message, expected):
    explanation = explain(message)
    if expected:
        assert expected in explanation, (message, explanation)
    else:
        assert explanation == ""
