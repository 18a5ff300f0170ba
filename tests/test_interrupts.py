"""Ctrl-C and SIGTERM stop every sandbox at once, say what was graded and exit 130 (issue 15).

A hanging submission on a copy of the mini course whose tests may run for five minutes: the
grader must not wait for them. The time bound is generous (it bounds the grader's reaction to
the signal against a five-minute timeout, it is not a speed benchmark).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, finish_on_a_terminal, processes_with, start_on_a_terminal

HANG = '''import time


def _forever(*_args):
    while True:
        time.sleep(1)


add = locked_add = helper = _forever
'''
REACTION = 10.0
"""Seconds from the signal to the grader's exit: far below the topic's 300 s timeout."""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """The mini course with a five-minute timeout per test, and its solution of 01 hanging (validate)."""
    root = tmp_path / "slowcourse"
    shutil.copytree(MINI, root)
    text = (root / "course.yml").read_text()
    (root / "course.yml").write_text(text.replace("timeout: 2", "timeout: 300"))
    return root


@pytest.fixture
def hanging(tmp_path: Path) -> Path:
    sub = tmp_path / "hanging"
    shutil.copytree(MINI / "solutions", sub)
    (sub / "01_basics" / "basics.py").write_text(HANG)
    return sub


def _grader(course: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "grader", "--course", str(course / "course.yml"), *args]


def _wait_for_hang(marker: str, finished: str = "", timeout: float = 120) -> None:
    """Until ``finished`` is done (a topic id: its sandboxed run was seen and is gone; a path: the
    file exists; empty: nothing) while a run of 01_basics (whose tests hang) goes on, then a moment more."""
    deadline = time.monotonic() + timeout
    seen = False
    while time.monotonic() < deadline:
        running = [" ".join(p.info["cmdline"] or ()) for p in processes_with(marker)]
        # A sandboxed test run of 01_basics (not the grader, whose own arguments may name it too,
        # and not the collection that lists its tests).
        hanging = any("run_tests" in line and "01_basics" in line and "--collect-only" not in line
                      for line in running)
        if not finished or finished.startswith("/"):
            done = not finished or os.path.exists(finished)
        else:
            now = any(finished in line for line in running)
            seen, done = seen or now, seen and not now
        if hanging and done:
            time.sleep(1.5)
            return
        time.sleep(0.05)
    raise AssertionError(f"never reached: {finished} done while 01_basics hangs")


def _interrupt_on_a_terminal(argv: list[str], marker: str, finished: str) -> tuple[int, str, float]:
    """Start ``argv`` on a pseudo-terminal, press Ctrl-C once the hang runs: exit code, output,
    seconds from Ctrl-C to exit."""
    pid, fd = start_on_a_terminal(argv)
    try:
        _wait_for_hang(marker, finished)
        os.write(fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT to its foreground group
        pressed = time.monotonic()
        code, text = finish_on_a_terminal(pid, fd)
        return code, text, time.monotonic() - pressed
    finally:
        os.close(fd)


def _nothing_left(marker: str) -> None:
    """No process of the run survives it (the grader, supervisors, bubblewrap, pytest, the student's)."""
    deadline = time.monotonic() + 2
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_with(marker), [p.info["cmdline"] for p in processes_with(marker)]


@pytest.mark.slow
def test_ctrl_c_during_grade_kills_the_sandboxes_says_what_was_graded_and_exits_130(course, hanging, tmp_path):
    code, text, took = _interrupt_on_a_terminal(_grader(course, "grade", str(hanging), "--jobs", "2"),
                                                str(tmp_path), "02_other")
    assert code == 130, text
    assert took < REACTION, f"{took:.1f} s from Ctrl-C to exit"
    assert "interrupted" in text and "graded 1 of 2 topic(s): 02_other 2/2" in text, text
    assert "not graded: 01_basics" in text
    assert "Traceback" not in text
    _nothing_left(str(tmp_path))


@pytest.mark.slow
def test_sigterm_during_grade_does_the_same(course, hanging, tmp_path):
    proc = subprocess.Popen(_grader(course, "grade", str(hanging), "--jobs", "2"), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_hang(str(tmp_path), "02_other")
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert took < REACTION, f"{took:.1f} s from SIGTERM to exit"
    assert "grader: interrupted: graded 1 of 2 topic(s): 02_other 2/2; not graded: 01_basics" in err
    assert out == ""  # no report pretends to be the grade
    _nothing_left(str(tmp_path))


@pytest.mark.slow
def test_ctrl_c_during_batch_keeps_every_finished_student_and_the_next_run_resumes(course, hanging, tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    shutil.copytree(MINI / "solutions", subs / "ada")
    shutil.copytree(hanging, subs / "zed")
    code, text, took = _interrupt_on_a_terminal(
        _grader(course, "batch", str(subs), "--out", str(out), "--jobs", "2"), str(tmp_path), str(out / "ada.json"))
    assert code == 130, text
    assert took < REACTION, f"{took:.1f} s from Ctrl-C to exit"
    assert "1 student(s) graded this run" in text and "(ada)" in text and "1 not finished" in text, text
    assert (out / "ada.json").is_file() and not (out / "zed.json").exists()
    _nothing_left(str(subs))
    shutil.rmtree(subs / "zed")
    shutil.copytree(MINI / "solutions", subs / "zed")  # zed fixes the hang: the next run grades only zed
    again = subprocess.run(_grader(course, "batch", str(subs), "--out", str(out), "--quiet"), cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "graded 1, kept 1" in again.stderr


@pytest.mark.slow
def test_ctrl_c_during_check_exits_130_at_once(course, hanging, tmp_path):
    code, text, took = _interrupt_on_a_terminal(_grader(course, "check", "--path", str(hanging)), str(tmp_path),
                                                "02_other")
    assert code == 130, text
    assert took < REACTION, f"{took:.1f} s from Ctrl-C to exit"
    assert "interrupted" in text and "02_other" in text
    _nothing_left(str(tmp_path))


@pytest.mark.slow
def test_ctrl_c_during_watch_stops_the_running_check_at_once(course, hanging, tmp_path):
    code, text, took = _interrupt_on_a_terminal(_grader(course, "watch", "--path", str(hanging)), str(tmp_path),
                                                "02_other")
    assert code == 130, text
    assert took < REACTION, f"{took:.1f} s from Ctrl-C to exit"
    _nothing_left(str(tmp_path))


@pytest.mark.slow
def test_sigterm_during_validate_exits_130(course, hanging, tmp_path):
    shutil.copyfile(hanging / "01_basics" / "basics.py", course / "solutions" / "01_basics" / "basics.py")
    proc = subprocess.Popen(_grader(course, "validate", "--topic", "01_basics", "--only", "solution"), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_hang(str(tmp_path))
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert time.monotonic() - sent < REACTION
    assert "interrupted" in err and "Traceback" not in err
    _nothing_left(str(tmp_path))
