"""The course passes on every supported Python this machine has (3.10 to 3.13).

Each version gets a fresh virtual environment with the project installed. In the slow layer
(CI) the reference solutions must score full marks and the stubs zero on each; the running
interpreter's own version is validated in full by tests/test_course_content.py. The `pythons`
layer (`pytest -m pythons`, the release check, about 10 minutes a version on two cores) runs the
whole `grader validate` on each: every mutant caught there too.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

VERSIONS = ("3.10", "3.11", "3.12", "3.13")


def find_python(version: str) -> str | None:
    """An interpreter for ``version``: in pyenv's versions folder, or on PATH (pyenv's shims, which
    only work for the active versions, are skipped)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob(f"{version}.*/bin/python{version}"), reverse=True)
    if candidates:
        return str(candidates[0])
    found = shutil.which(f"python{version}")
    return found if found and "/shims/" not in found else None


OTHERS = [v for v in VERSIONS if v != f"{sys.version_info.major}.{sys.version_info.minor}"]


@pytest.fixture(scope="module")
def venvs():
    """One installed virtual environment per version, made on first use and shared by the tests.

    Not under pytest's tmp_path: its root is private (0700) to this uid, and the Linux tier runs
    the tests as another uid, which must be able to read the venv's site-packages.
    """
    made: dict[str, Path] = {}
    root = Path(tempfile.mkdtemp(prefix="grader-pythons-"))
    root.chmod(0o755)

    def get(version: str) -> Path:
        if version not in made:
            python = find_python(version)
            if python is None:
                pytest.skip(f"no Python {version} on this machine (pyenv install {version} to cover it)")
            venv = root / f"venv{version}"
            subprocess.run([python, "-m", "venv", str(venv)], check=True)
            install = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q", str(ROOT)],
                                     capture_output=True, text=True)
            assert install.returncode == 0, install.stderr[-2000:]
            made[version] = venv
        return made[version]

    yield get
    shutil.rmtree(root, ignore_errors=True)


def grade(venv: Path, folder: str) -> dict:
    proc = subprocess.run([str(venv / "bin/python"), "-m", "grader", "grade", folder, "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("version", OTHERS)
def test_solutions_full_marks_and_stubs_zero_on(version, venvs):
    venv = venvs(version)
    solved = grade(venv, "solutions")
    failed = [f"{t['id']}: {t['message'][:300]}" for topic in solved["topics"] for t in topic["tests"]
              if t["status"] != "passed"]
    failed += [f"{topic['id']}: {topic['message'][:300]}" for topic in solved["topics"] if topic["message"]]
    assert solved["score"] == solved["max_score"] > 0, failed
    stubs = grade(venv, "exercises")
    assert stubs["score"] == 0 and stubs["max_score"] == solved["max_score"]


@pytest.mark.pythons
@pytest.mark.parametrize("version", OTHERS)
def test_validate_passes_on(version, venvs):
    venv = venvs(version)
    proc = subprocess.run([str(venv / "bin/python"), "-m", "grader", "validate", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    report = json.loads(proc.stdout)
    problems = list(report["problems"])
    for topic in report["topics"]:
        for kind in ("solution", "stub"):
            if not topic[kind]["ok"]:
                problems.append(f"{topic['id']} {kind}: {topic[kind]['runs'][0]['failed_tests'][:3]}")
        problems += [f"{topic['id']} mutant {m['name']} survived" for m in topic["mutants"] if not m["ok"]]
    assert not problems and report["ok"] and proc.returncode == 0, problems
    assert sum(len(t["mutants"]) for t in report["topics"]) >= 90
