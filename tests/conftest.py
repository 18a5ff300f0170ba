"""Shared helpers for the project's own tests: run the real CLI, write submissions, find leftovers."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini_course"


def run_grader(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def grade_json(submission: Path, *extra: str, course: Path = MINI / "course.yml") -> dict:
    proc = run_grader("--course", str(course), "grade", str(submission), "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def write_submission(root: Path, files: dict[str, str]) -> Path:
    """``{"01_basics/basics.py": source}`` -> a submission folder under ``root``."""
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


def patched_zip(folder: Path, flag_bits: int = 0, method: int | None = None,
                rename: tuple[bytes, bytes] | None = None) -> bytes:
    """Every ``.py`` under ``folder`` zipped, with the flags, compression method or a name patched in
    every local and central header (what zipfile cannot write: encryption, method 99, bad UTF-8).
    A ``rename`` keeps the length, so the headers' offsets hold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(folder.rglob("*.py")):
            zf.writestr(path.relative_to(folder).as_posix(), path.read_bytes())
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            flags = int.from_bytes(data[at + offset:at + offset + 2], "little") | flag_bits
            data[at + offset:at + offset + 2] = flags.to_bytes(2, "little")
            if method is not None:
                data[at + offset + 2:at + offset + 4] = method.to_bytes(2, "little")
            at = data.find(signature, at + 4)
    return bytes(data).replace(*rename) if rename else bytes(data)


def processes_with(marker: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "pid"]):
        try:
            if any(marker in part for part in proc.info["cmdline"] or ()) and proc.pid != os.getpid():
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def by_id(result: dict) -> dict[str, dict]:
    return {t["id"]: t for topic in result["topics"] for t in topic["tests"]}


@pytest.fixture
def solutions_source() -> dict[str, str]:
    return {
        "01_basics/basics.py": (MINI / "solutions/01_basics/basics.py").read_text(),
        "02_other/other.py": (MINI / "solutions/02_other/other.py").read_text(),
    }


def start_on_a_terminal(argv: list[str], cwd: Path = ROOT) -> tuple[int, int]:
    """Start ``argv`` on a pseudo-terminal, as a user at a shell would: its pid and the terminal's fd."""
    import pty
    import signal

    pid, fd = pty.fork()
    if pid == 0:
        # A shell's background job inherits SIGINT ignored, and Python then keeps it ignored: give
        # the child a terminal's default, whatever way this suite was started.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(cwd)
        os.execv(argv[0], argv)
    return pid, fd


def run_on_a_terminal(argv: list[str], cwd: Path = ROOT, quiet_for: float = 60) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal (progress bars show only there): exit code and all it printed."""
    pid, fd = start_on_a_terminal(argv, cwd)
    return finish_on_a_terminal(pid, fd, quiet_for)


def finish_on_a_terminal(pid: int, fd: int, quiet_for: float = 60) -> tuple[int, str]:
    """Read what a program started by ``start_on_a_terminal`` prints until it exits: exit code and text."""
    import select

    seen = b""
    while select.select([fd], [], [], quiet_for)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="tests/test_golden.py rewrites each case's expected.json from what the grader reports now")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The `pythons` layer (whole validate on every other Python, the release check) runs only when
    named: `pytest -m pythons`. Deselected otherwise, so `-m "not slow"` and `-m slow` never pay for it.
    The longest tests are put first, so that, handed out one at a time (`--dist load --maxschedchunk 1`,
    as .ci/run does), they start at once on every worker instead of ending the run alone."""
    items.sort(key=_start_order)
    if "pythons" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("pythons") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


LONGEST_FIRST = ("test_pythons.py", "test_course_content.py", "test_redteam.py")
"""Files whose tests take minutes (a grading on another Python, a topic's whole validate)."""


def _start_order(item: pytest.Item) -> tuple[int, int]:
    """Known-long files first, in that order; a topic's validate weighs its number of mutants."""
    path = Path(str(item.path))
    rank = LONGEST_FIRST.index(path.name) if path.name in LONGEST_FIRST else len(LONGEST_FIRST)
    callspec = getattr(item, "callspec", None)
    topic = callspec.params.get("topic") if callspec else None
    mutants = len(list((ROOT / "tests" / "mutants" / topic).glob("*.py"))) if isinstance(topic, str) else 0
    return rank, -mutants
