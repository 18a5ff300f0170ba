"""Build a Gradescope autograder zip that installs this grader and runs it on the submission.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when the image is
built (installing Python and bubblewrap), and ``run_autograder`` for each submission (student files in ``/autograder/submission``,
results expected in ``/autograder/results/results.json``). The zip carries the grader's source,
course.yml and the hidden tests; never solutions, mutants or red-team files.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import grader
from grader.course import Course
from grader.errors import GraderError

SETUP_SH = """#!/usr/bin/env bash
# Runs once when Gradescope builds the autograder image.
set -euo pipefail
apt-get update -q
apt-get install -y -q python3 python3-venv python3-pip
# The Linux sandbox tier (SECURITY.md). Without bubblewrap the grader uses the portable tier and says so.
if ! apt-get install -y -q bubblewrap; then
    echo "setup.sh: bubblewrap could not be installed; the grader will use its portable sandbox tier" >&2
fi
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q /autograder/source
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Runs for every submission. Exit 0 whatever the score; a grader error still writes a results file.
set -uo pipefail
mkdir -p /autograder/results
cd /autograder/source
if ! /autograder/venv/bin/grader{lang_option} grade /autograder/submission --format gradescope \\
        --visibility "${{GRADER_VISIBILITY:-{visibility}}}" --out /autograder/results/results.json; then
    printf '{{"score": 0, "output": "The grader could not run; please tell your instructor.", "tests": []}}\\n' \\
        > /autograder/results/results.json
fi
"""


def _tree(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _files(course: Course) -> dict[str, Path]:
    """Zip path -> file: the grader's source (to pip install) and the course's grading inputs."""
    project = Path(grader.__file__).resolve().parent.parent
    if not (project / "pyproject.toml").is_file():
        raise GraderError("build the Gradescope zip from a source checkout of the grader (pyproject.toml not found)")
    files = {name: project / name for name in ("pyproject.toml", "README.md")}
    files.update({p.relative_to(project).as_posix(): p for p in _tree(project / "grader")})
    files["course.yml"] = course.course_file
    for topic in course.topics:
        for path in _tree(course.hidden_tests(topic).parent):
            files[path.relative_to(course.root).as_posix()] = path
    if course.durations_file.is_file():
        files[course.durations_file.relative_to(course.root).as_posix()] = course.durations_file
    return files


def build(course: Course, out: Path, visibility: str = "after_due_date", lang: str = "en") -> int:
    """Write the zip (tests shown to students per ``visibility``, feedback in ``lang``); return how
    many files it holds."""
    files = _files(course)
    out.parent.mkdir(parents=True, exist_ok=True)
    run = RUN_AUTOGRADER.format(visibility=visibility, lang_option="" if lang == "en" else f" --lang {lang}")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", run)):
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFREG | 0o755) << 16
            zf.writestr(info, text)
        for name, path in files.items():
            zf.write(path, name)
    return len(files) + 2
