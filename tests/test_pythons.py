"""The course passes `grader validate` on every supported Python this machine has (3.10 to 3.13).

Each version gets a fresh virtual environment with the project installed; solutions must score
full marks, stubs zero and every mutant must be caught. The running interpreter's own version is
covered by tests/test_course_content.py.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
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


@pytest.mark.parametrize("version", OTHERS)
def test_validate_passes_on(version, tmp_path):
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine (pyenv install {version} to cover it)")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q", str(ROOT)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    proc = subprocess.run([str(venv / "bin/python"), "-m", "grader", "validate", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1500)
    report = json.loads(proc.stdout)
    problems = list(report["problems"])
    for topic in report["topics"]:
        for kind in ("solution", "stub"):
            if not topic[kind]["ok"]:
                problems.append(f"{topic['id']} {kind}: {topic[kind]['runs'][0]['failed_tests'][:3]}")
        problems += [f"{topic['id']} mutant {m['name']} survived" for m in topic["mutants"] if not m["ok"]]
    assert not problems and report["ok"] and proc.returncode == 0, problems
    assert sum(len(t["mutants"]) for t in report["topics"]) >= 90
