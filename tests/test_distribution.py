"""grader release (the student repository), its workflow, and grader nbgrader (nbgrader assignments)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import course as course_model
from tests.conftest import MINI, ROOT, run_grader

FORBIDDEN_DIRS = ("solutions", "hidden", "mutants", "redteam", "bench", ".ci")


def solution_snippets(course_file: Path) -> set[str]:
    """Pairs of consecutive lines from the solutions' marked regions: none may appear in a release.

    A single line is not evidence (hints rightly quote idioms like ``with self._lock:``); two
    consecutive lines of solution code are, unless the same pair is shipped anyway: outside the
    marked regions of some solution (code every student gets, such as a given helper), or in a
    ``### BEGIN STUB`` region (a "fix this program" exercise ships the buggy program).
    """
    course = course_model.load(course_file)
    secret: set[str] = set()
    public: set[str] = set()
    for topic in course.topics:
        kind, region = "public", []
        for line in course.path(f"solutions/{topic.folder}/{topic.module_file}").read_text().splitlines() + [""]:
            stripped = line.strip()
            if stripped in ("### BEGIN SOLUTION", "### BEGIN STUB", "### END SOLUTION", "### END STUB", ""):
                if stripped == "" and kind == "public":
                    region.append(stripped)
                    continue
                code = [c.removeprefix("#").strip() if kind == "stub" else c for c in region]
                code = [c for c in code if c and not c.startswith("#")]
                pairs = {f"{a}\n{b}" for a, b in zip(code, code[1:], strict=False) if len(a) + len(b) >= 30}
                (secret if kind == "solution" else public).update(pairs)
                kind = {"### BEGIN SOLUTION": "solution", "### BEGIN STUB": "stub"}.get(stripped, "public")
                region = []
            else:
                region.append(stripped)
    return secret - public


@pytest.mark.parametrize("course_file", [ROOT / "course.yml", MINI / "course.yml"], ids=["course", "mini"])
def test_release_holds_no_solutions_hidden_tests_or_mutants(tmp_path, course_file):
    out = tmp_path / "release"
    proc = run_grader("--course", str(course_file), "release", str(out))
    assert proc.returncode == 0, proc.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    for path in files:
        parts = path.relative_to(out).parts
        assert not set(parts) & set(FORBIDDEN_DIRS), path
    secret = solution_snippets(course_file)
    assert secret
    for path in files:
        text = "\n".join(line.strip() for line in path.read_text(errors="replace").splitlines())
        leaked = [snippet for snippet in secret if snippet in text]
        assert not leaked, f"{path.relative_to(out)} contains solution text: {leaked[:3]}"
    released = course_model.load(out / "course.yml")
    assert [t.id for t in released.topics] == [t.id for t in course_model.load(course_file).topics]
    assert "hidden:" not in (out / "course.yml").read_text()


def test_release_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    proc = run_grader("--course", str(MINI / "course.yml"), "release", str(tmp_path))
    assert proc.returncode == 2 and "not empty" in proc.stderr


@pytest.mark.slow
def test_released_repository_checks_student_work(tmp_path):
    out = tmp_path / "release"
    assert run_grader("--course", str(MINI / "course.yml"), "release", str(out)).returncode == 0
    first = json.loads(run_grader("check", "--format", "json", cwd=out).stdout)
    assert first["score"] == 0 and first["max_score"] == 9
    shutil.copy(MINI / "solutions/02_other/other.py", out / "exercises/02_other/other.py")
    second = json.loads(run_grader("check", "--format", "json", cwd=out).stdout)
    assert {t["id"]: t["score"] for t in second["topics"]} == {"01_basics": 0, "02_other": 2}


def test_workflow_passes_actionlint(tmp_path):
    actionlint = shutil.which("actionlint", path=os.path.dirname(sys.executable)) or shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint is not installed (pip install -e '.[test]' provides it)")
    out = tmp_path / "release"
    assert run_grader("release", str(out)).returncode == 0
    workflow = out / ".github/workflows/classroom.yml"
    proc = subprocess.run([actionlint, "-no-color", str(workflow)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = workflow.read_text()
    assert "classroom-resources/autograding-grading-reporter@v1" in text
    assert "steps.grade.outputs.runners" in text and "--github" in text
    assert "secrets.GRADER_TOKEN" in text
    # The Linux tier on the hosted runner: bubblewrap, and the grader as root to drop to its own uid.
    assert "apt-get install -y -qq bubblewrap" in text and 'sudo -E env "PATH=$PATH" grader' in text


DEADLOCKING = """%%writefile basics.py
import threading

_lock = threading.Lock()


def _stuck(*args):
    _lock.acquire()
    _lock.acquire()


add = locked_add = helper = _stuck
"""


def _autograde(api, assignment: str, student: str) -> dict:
    result = api.autograde(assignment, student, force=True, create=True)
    assert result["success"], result["error"] + result["log"][-2000:]
    return api.get_submission(assignment, student)


@pytest.mark.slow
def test_nbgrader_generates_and_autogrades_with_the_expected_scores(tmp_path, monkeypatch):
    nbgrader = pytest.importorskip("nbgrader", reason="the nbgrader extra is part of .[test]")
    del nbgrader
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    out = tmp_path / "nb"
    proc = run_grader("--course", str(MINI / "course.yml"), "nbgrader", str(out))
    assert proc.returncode == 0, proc.stderr
    monkeypatch.setenv("GRADER_COURSE", str(MINI / "course.yml"))
    # nbgrader runs `alembic` from PATH: the venv's bin folder must be on it even when not activated.
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    cfg = Config()
    cfg.CourseDirectory.root = str(out)
    cfg.CourseDirectory.course_id = "mini"
    cfg.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", ".grader-*.json"]
    cfg.Execute.timeout = 300
    cfg.Execute.raise_on_iopub_timeout = False
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    assignment = "01_basics"
    generated = api.generate_assignment(assignment, force=True, create=True)
    assert generated["success"], generated["error"] + generated["log"][-2000:]
    release = out / "release" / assignment / f"{assignment}.ipynb"
    released_text = release.read_text()
    assert "### BEGIN SOLUTION" not in released_text and "raise NotImplementedError()" in released_text
    assert not list((out / "release" / assignment).glob("*.py")), "no module leaks into the release"

    source = json.loads((out / "source" / assignment / f"{assignment}.ipynb").read_text())
    for student, notebook in (("alice", source), ("bob", json.loads(released_text)), ("carol", source)):
        target = out / "submitted" / student / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True)
        if student == "carol":  # a submission in which every function deadlocks
            notebook = json.loads(json.dumps(notebook))
            notebook["cells"][1]["source"] = DEADLOCKING.splitlines(keepends=True)
        target.write_text(json.dumps(notebook))

    alice = _autograde(api, assignment, "alice")
    assert alice["score"] == alice["max_score"] == 7
    graded = json.loads((out / "autograded" / "alice" / assignment / f"{assignment}.ipynb").read_text())
    results = [o for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
               for o in c["outputs"] if o["output_type"] == "execute_result"]
    shown = [{kind: "".join(text) for kind, text in r["data"].items()} for r in results]  # lines in the file
    assert [s["text/plain"] for s in shown] == ["3.0", "2.0", "2.0"], "nbgrader reads the number"
    assert "add: 3 / 3 points" in shown[0]["text/html"], "people read a sentence, not Out: 3.0"
    bob = _autograde(api, assignment, "bob")
    assert bob["score"] == 0
    carol = _autograde(api, assignment, "carol")
    graded = json.loads((out / "autograded" / "carol" / assignment / f"{assignment}.ipynb").read_text())
    grade_cells = [c for c in graded["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert all(any(o.get("output_type") == "execute_result" for o in c["outputs"]) for c in grade_cells), \
        "every grade cell ran: the kernel survived the deadlock"
    assert carol["score"] == 0
