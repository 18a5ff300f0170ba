"""The student's first minutes in a released repository, on a terminal: the README's commands,
``check``'s progress and short page, details for one topic or with -v, the terminal's width, and
the instructor's commands refused in one line."""

import re
import shutil
import sys

import pytest

from tests.conftest import MINI, run_grader, run_on_a_terminal, start_on_a_terminal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "release"
    proc = run_grader("--course", str(MINI / "course.yml"), "release", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def sized(columns: int, *args: str) -> list[str]:
    """``grader ARGS`` on a terminal ``columns`` wide: the child sets its own window size, then runs the grader."""
    code = ("import fcntl, os, struct, sys, termios\n"
            f"fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, {columns}, 0, 0))\n"
            "for name in ('COLUMNS', 'LINES'):\n    os.environ.pop(name, None)\n"
            "os.execv(sys.executable, [sys.executable, '-m', 'grader', *sys.argv[1:]])\n")
    return [sys.executable, "-c", code, *args]


def screen_lines(text: str) -> list[str]:
    """What stays on the screen: colours dropped, each line as its last carriage return left it."""
    return [line.rsplit("\r", 1)[-1] for line in ANSI.sub("", text.replace("\r\n", "\n")).split("\n")]


@pytest.mark.slow
def test_first_check_shows_progress_then_a_short_page(release):
    code, seen = run_on_a_terminal(sized(60, "check"), cwd=release)
    assert code == 0, seen
    assert re.search(r"checking (01_basics|02_other) \(1/2\)\.\.\.", seen), seen
    lines = [line for line in screen_lines(seen) if line.strip()]
    assert "01_basics 0/4 visible tests pass" in lines and "02_other  0/1 visible tests pass" in lines
    assert len(lines) <= 12, "a short page: one line per topic and what to do next"
    page = "\n".join(lines)
    assert "Start with 01_basics: read exercises/01_basics/README.md" in page
    assert "grader check 01_basics" in page and "grader check -v" in page
    assert "points" not in page.replace("give no points", ""), "visible tests read like no grade"
    assert "Total" not in page and "FAILED" not in page
    assert all(len(line) <= 60 for line in lines), [line for line in lines if len(line) > 60]
    assert all(line == line.rstrip() for line in lines), "no trailing blanks (a full line would wrap)"


@pytest.mark.slow
def test_one_topic_shows_its_failures_indented_at_the_terminal_width(release):
    code, seen = run_on_a_terminal(sized(50, "check", "01_basics"), cwd=release)
    assert code == 0, seen
    lines = [line for line in screen_lines(seen) if line.strip()]
    assert all(len(line) <= 50 for line in lines), [line for line in lines if len(line) > 50]
    start = next(i for i, line in enumerate(lines) if "failed test_basics.py::TestAdd" in line)
    block = lines[start + 1:next(i for i, line in enumerate(lines) if i > start and "todo" in line)]
    assert len(block) >= 2, "the message wraps at 50 columns"
    assert all(line.startswith(" " * 8) for line in block), block
    assert "add still raises NotImplementedError" in " ".join(part.strip() for part in block)


@pytest.mark.slow
def test_verbose_shows_every_topic(release):
    proc = run_grader("check", "-v", cwd=release)
    assert proc.returncode == 0, proc.stderr
    assert "01_basics - Basics" in proc.stdout and "02_other - Other" in proc.stdout
    assert "test_other.py::TestDouble::test_double" in proc.stdout
    assert "checking" not in proc.stdout + proc.stderr, "no progress line off a terminal"


@pytest.mark.parametrize("argv", [["grade", "exercises"], ["validate"], ["batch", "x", "--out", "y"],
                                  ["merge", "x", "--out", "y"], ["release", "out"], ["nbgrader", "out"],
                                  ["gradescope", "a.zip"], ["sync"]], ids=lambda argv: argv[0])
def test_instructor_commands_refuse_in_a_student_repository(release, argv):
    proc = run_grader(*argv, cwd=release)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "needs the instructor's repository" in proc.stderr, proc.stderr
    assert "check, watch, hint, status" in proc.stderr and not proc.stdout
    assert not (release / "out").exists() and not (release / "y").exists()


def readme_commands(readme: str) -> list[str]:
    """Every `grader ...` the student README shows, in a code span or a code block."""
    found = re.findall(r"`(grader [^`]+)`", readme) + re.findall(r"^(grader [^\n`]+)$", readme, re.M)
    return list(dict.fromkeys(c.strip() for c in found))


@pytest.mark.slow
def test_the_readme_commands_work_as_written(tmp_path):
    out = tmp_path / "release"
    assert run_grader("--course", str(MINI / "course.yml"), "release", str(out)).returncode == 0
    readme = (out / "README.md").read_text()
    linux = readme.index("source .venv/bin/activate")
    assert linux < readme.index("grader check", linux), "activated before grader is called"
    assert ".venv\\Scripts\\activate" in readme and "py -m venv .venv" in readme
    assert ".venv/bin/grader check" in readme
    commands = readme_commands(readme)
    for name in ("check", "watch", "hint", "status"):
        assert any(c.startswith(f"grader {name}") for c in commands), name
    for command in commands:
        argv = command.split()[1:]
        if argv[0] == "watch":
            pid, fd = start_on_a_terminal([sys.executable, "-m", "grader", *argv], cwd=out)
            _await_and_stop(pid, fd, b"watching for changes")
        elif argv[0] in ("check", "hint", "status"):
            proc = run_grader(*argv, cwd=out)
            assert proc.returncode == 0, (command, proc.stderr)
        else:
            assert argv[0] in ("grade", "validate", "batch"), command  # named only as refused here


def _await_and_stop(pid: int, fd: int, needle: bytes) -> None:
    import os
    import select
    import time

    seen, end = b"", time.monotonic() + 60
    while needle not in seen:
        assert time.monotonic() < end, seen[-500:]
        if select.select([fd], [], [], 0.2)[0]:
            seen += os.read(fd, 65536)
    assert seen.index(b"running...") < seen.index(needle), "watch says it is running at once"
    os.write(fd, b"\x03")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130


def test_release_writes_the_marker_and_an_instructor_repository_has_none(release):
    assert (release / ".student-repository").is_file()
    assert not (MINI / ".student-repository").exists()
    assert shutil.which  # the marker is a plain file a student keeps in git (not ignored)
    assert ".student-repository" not in (release / ".gitignore").read_text()
