"""Single source: the stubs in exercises/ are generated from the solutions' marked regions.

A solution marks what students write::

    def worker_identity(ctx=None):
        \"\"\"The task.\"\"\"
        ### BEGIN SOLUTION
        ...
        ### END SOLUTION

``stub_from_solution`` replaces each region by nbgrader's stub (a "YOUR CODE HERE" comment and
a raise of NotImplementedError) at the region's indentation; a module-level region becomes only
the comment, so the stub still imports. The markers are nbgrader's, so the same files feed nbgrader assignments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course, Topic
from grader.errors import GraderError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (?:BEGIN|END) SOLUTION)\s*$")
# nbgrader's stub text, so the .py exercises and the nbgrader notebooks look the same.
STUB_COMMENT = "# YOUR CODE HERE"
STUB_RAISE = f"raise {NotImplementedError.__name__}()"


def stub_from_solution(text: str, source: str = "<solution>") -> str:
    """The stub for a solution's text; unbalanced or nested markers raise GraderError."""
    out: list[str] = []
    open_at: int | None = None
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        match = _MARKER.match(line.rstrip("\n"))
        if match is None:
            if open_at is None:
                out.append(line)
            continue
        indent, marker = match["indent"], match["marker"]
        if marker == BEGIN:
            if open_at is not None:
                raise GraderError(f"{source}:{lineno}: {BEGIN} inside the region opened at line {open_at}")
            open_at = lineno
            out.append(f"{indent}{STUB_COMMENT}\n")
            if indent:
                out.append(f"{indent}{STUB_RAISE}\n")
        else:
            if open_at is None:
                raise GraderError(f"{source}:{lineno}: {END} without a {BEGIN}")
            open_at = None
    if open_at is not None:
        raise GraderError(f"{source}:{open_at}: {BEGIN} is never closed by {END}")
    return "".join(out)


def strip_markers(text: str) -> str:
    """The solution as a plain module (what students' finished work looks like)."""
    return "".join(line for line in text.splitlines(keepends=True) if not _MARKER.match(line.rstrip("\n")))


@dataclass(frozen=True)
class Drift:
    topic: Topic
    stub: Path
    reason: str


def plan(course: Course) -> list[tuple[Topic, Path, str]]:
    """(topic, stub path, wanted text) for every topic; a missing or unmarked solution is an error."""
    wanted = []
    for topic in course.topics:
        solution = course.solution(topic)
        try:
            text = solution.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise GraderError(f"{solution}: reference solution not found (topic {topic.id})") from None
        if BEGIN not in text:
            raise GraderError(f"{solution}: has no {BEGIN} markers, so its stub would be the solution")
        stub = course.stub(topic)
        wanted.append((topic, stub, stub_from_solution(text, str(solution))))
    return wanted


def check(course: Course) -> list[Drift]:
    drifts = []
    for topic, stub, text in plan(course):
        if not stub.exists():
            drifts.append(Drift(topic, stub, "missing"))
        elif stub.read_text(encoding="utf-8") != text:
            drifts.append(Drift(topic, stub, "differs from the stub generated from the solution"))
    return drifts


def write(course: Course) -> list[Path]:
    """Write every stub that differs; return the paths written."""
    written = []
    for _topic, stub, text in plan(course):
        if not stub.exists() or stub.read_text(encoding="utf-8") != text:
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(text, encoding="utf-8")
            written.append(stub)
    return written
