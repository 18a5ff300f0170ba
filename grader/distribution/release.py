"""``grader release OUT``: build the student repository from this one.

The release holds the lessons, the stubs and the visible tests, a course.yml without hidden-test
locations, the grader package (so ``grader check`` works offline) with a student pyproject, a
student README and the GitHub Actions workflow. It never holds solutions, hidden tests, mutants
or red-team files: everything is copied from an allow-list, not filtered from a copy. A marker file
(``grader.student.repository.MARKER``) tells the grader it runs in a student's copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

import grader
from grader import __version__
from grader.course import Course
from grader.distribution.readme import student_readme
from grader.distribution.workflow import classroom_workflow
from grader.errors import GraderError
from grader.student.repository import MARKER, MARKER_TEXT
from grader.yaml_load import safe_load

STUDENT_PYPROJECT = f"""[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "concurrency-course-grader"
version = "{__version__}"
description = "Student tools for the concurrency course: grader check."
requires-python = ">=3.10"
dependencies = ["pytest>=8.0", "pytest-timeout>=2.3", "pydantic>=2.5", "PyYAML>=6.0", "rich>=13.0",
                "psutil>=5.9", "gevent>=24.2", "watchfiles>=0.21", "joblib>=1.3"]

[project.scripts]
grader = "grader.cli:main"

[tool.hatch.build.targets.wheel]
packages = ["grader"]

[tool.pytest.ini_options]
testpaths = ["exercises"]
"""

# `grader check` loads the pytest plugin (ctx fixture, leak check); the other probes only serve the
# hidden tests, and would show students how those tests catch mistakes.
STUDENT_PROBES = {"probes/__init__.py", "probes/plugin.py", "probes/student.py"}

GITIGNORE = "__pycache__/\n*.py[cod]\n.venv/\n*.egg-info/\n.pytest_cache/\n.grader/\n"


def student_course(course: Course) -> str:
    """course.yml for students: the same topics, exercises, points and hints, no hidden-test paths."""
    data = safe_load(course.course_file.read_text(encoding="utf-8"))
    for topic in data["topics"]:
        topic.pop("hidden", None)
    header = "# The course, as the grader's `check`, `hint` and `status` commands read it.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def build(course: Course, out: Path, force: bool = False, lang: str = "en") -> list[Path]:
    """Write the student repository into ``out``; return every file written. ``lang`` other than ``en``:
    the course's translations are applied (``release_i18n``)."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise GraderError(f"{out} is not empty (pass --force to replace it)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(relative: str, text: str | None = None, source: Path | None = None) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            shutil.copyfile(source, target)
        else:
            target.write_text(text or "", encoding="utf-8")
        written.append(target)

    for topic in course.topics:
        for source in (course.lesson(topic), course.stub(topic)):
            if not source.is_file():
                raise GraderError(f"{source} is missing (run `grader sync` and write the lesson first)")
            put(f"exercises/{topic.folder}/{source.name}", source=source)
        visible = course.visible_tests(topic)
        put(f"exercises/{topic.folder}/{visible.name}", source=visible)
    package = Path(grader.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if "__pycache__" not in path.parts and (not relative.startswith("probes/") or relative in STUDENT_PROBES):
            put(f"grader/{relative}", source=path)
    put("course.yml", student_course(course))
    put("pyproject.toml", STUDENT_PYPROJECT)
    put("README.md", student_readme(course))
    put(".gitignore", GITIGNORE)
    put(MARKER, MARKER_TEXT)  # the instructor's commands refuse to run here (grader.student.repository)
    put(".github/workflows/classroom.yml", classroom_workflow(course))
    from grader.distribution import release_i18n

    written += [p for p in release_i18n.apply(course, out, lang) if p not in written]
    return written
