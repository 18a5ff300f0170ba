"""Golden directories: whole submissions to the mini course, graded by the real CLI, against the result they must keep.

Each ``tests/golden/<case>/`` holds ``submission/`` (what a student hands in: ``01_basics/basics.py``...),
``expected.json`` (the result reduced by ``normalise_result`` to what must not change) and, when the
case needs a symbolic link git may not keep, ``links.json`` (``{"<file in the submission>": "<target,
relative to the repository>"}``: the link is made at run time in a copy of the submission).

Regenerate after an intended change: ``pytest tests/test_golden.py --update-golden``, then read the
diff of every ``expected.json`` before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "submission").is_dir())

# Volatile parts of a message, in the order they are replaced (see normalise_message).
_VOLATILE = (
    (re.compile(r"0x[0-9a-fA-F]{4,}"), "0x<addr>"),
    (re.compile(r"(?<![\w.~>-])(?:/[\w.+@~-]+)+/?"), "<path>"),
    (re.compile(r"\b(pid|PID|process)( ?[=:#]? ?)\d+"), r"\1\2<pid>"),
    (re.compile(r"\b\d+\.\d+ ?(s|ms|seconds)\b"), r"<duration> \1"),
)


def normalise_message(message: str, submission: Path, repo: Path = ROOT) -> str:
    """The first line of a report message without what changes from run to run or host to host.

    The submission folder becomes ``<submission>`` and the repository ``<repo>``; then memory
    addresses (``0x7f3a...`` -> ``0x<addr>``), any other absolute path (-> ``<path>``), process ids
    (``pid 4242`` -> ``pid <pid>``) and measured durations (a number with a fraction before
    ``s``/``ms``/``seconds`` -> ``<duration> s``). Whole seconds stay: they are the course's limits
    ("did not finish within 2 s"), part of what the grader must keep saying.
    """
    line = message.splitlines()[0] if message else ""
    line = line.replace(str(submission), "<submission>").replace(str(repo), "<repo>")
    for pattern, replacement in _VOLATILE:
        line = pattern.sub(replacement, line)
    return line


def normalise_result(result: dict, exit_code: int, submission: Path) -> dict:
    """What a golden case pins: totals, per topic and per test score/status/kind/first message line, flags by code."""
    return {
        "exit_code": exit_code,
        "score": result["score"],
        "max_score": result["max_score"],
        "topics": [{
            "id": topic["id"],
            "score": topic["score"],
            "max_score": topic["max_score"],
            "status": topic["status"],
            "error_kind": topic["error_kind"],
            "message": normalise_message(topic["message"], submission),
            "tests": [{"id": t["id"], "status": t["status"], "score": t["score"],
                       "message": normalise_message(t["message"], submission)} for t in topic["tests"]],
        } for topic in result["topics"]],
        "flags": sorted(({"code": f["code"], "topic": f.get("topic")} for f in result["flags"]),
                        key=lambda f: (f["code"], f["topic"] or "")),
    }


def _submission(case: Path, into: Path) -> Path:
    """A copy of the case's submission with its ``links.json`` symbolic links made."""
    submission = into / "submission"
    shutil.copytree(case / "submission", submission, symlinks=True)
    links = case / "links.json"
    for name, target in (json.loads(links.read_text()) if links.exists() else {}).items():
        (submission / name).parent.mkdir(parents=True, exist_ok=True)
        (submission / name).symlink_to(ROOT / target)
    return submission


def _grade(submission: Path) -> tuple[dict, int]:
    """The real CLI, in the same language and with the default limits wherever the suite runs."""
    environ = {k: v for k, v in os.environ.items() if k not in ("GRADER_GRACE", "GRADER_IDLE_LIMIT", "LC_MESSAGES", "LANG")}
    environ["LC_ALL"] = "C.UTF-8"
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(MINI / "course.yml"), "grade",
                           str(submission), "--format", "json"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=environ)
    assert proc.stdout.strip(), f"no JSON on stdout (exit {proc.returncode}):\n{proc.stderr}"
    return json.loads(proc.stdout), proc.returncode


def _as_text(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    folder = GOLDEN / case
    submission = _submission(folder, tmp_path)
    result, exit_code = _grade(submission)
    got = _as_text(normalise_result(result, exit_code, submission))
    expected_file = folder / "expected.json"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(got)
    expected = expected_file.read_text() if expected_file.exists() else ""
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                            f"tests/golden/{case}/expected.json", "graded now"))
        pytest.fail(f"golden case {case} changed (regenerate with --update-golden if intended):\n{diff}",
                    pytrace=False)


def test_every_case_is_complete() -> None:
    assert len(CASES) >= 8
    for case in CASES:
        assert (GOLDEN / case / "expected.json").is_file(), f"{case}: run pytest tests/test_golden.py --update-golden"


@pytest.mark.parametrize(("message", "expected"), [
    ("", ""),
    ("first line\nWhen it was stopped:\n- MainThread", "first line"),
    ("did not finish within 2 s and was stopped", "did not finish within 2 s and was stopped"),
    ("took 0.53 s, then 12.5ms", "took <duration> s, then <duration> ms"),
    ("<Lock object at 0x7f3a9c2b1e50>", "<Lock object at 0x<addr>>"),
    ("child pid 4242 and process 77 exited", "child pid <pid> and process <pid> exited"),
    ("cannot read /tmp/pytest-of-me/x/submission/01_basics/basics.py", "cannot read <submission>/01_basics/basics.py"),
    ("see /work/main/grader/probes/__init__.py line 3", "see <repo>/grader/probes/__init__.py line 3"),
    ("opened /var/lib/x.db and ~/y", "opened <path> and ~/y"),
    ("SyntaxError in basics.py line 2: 01_basics/basics.py", "SyntaxError in basics.py line 2: 01_basics/basics.py"),
])
def test_normalise_message(message: str, expected: str) -> None:
    assert normalise_message(message, Path("/tmp/pytest-of-me/x/submission"), Path("/work/main")) == expected
