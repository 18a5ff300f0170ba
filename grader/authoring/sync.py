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

A "fix this program" exercise ships a working-looking program with a bug instead of an empty
body: the solution holds the program as shipped, commented out, in a ``### BEGIN STUB`` region
right before the ``### BEGIN SOLUTION`` region with the fix::

        ### BEGIN STUB
        # if self.free > 0:          <- the stub gets these lines without the "# "
        #     self.free -= 1
        ### END STUB
        ### BEGIN SOLUTION
        with self.lock:
            ...
        ### END SOLUTION

The stub then holds the uncommented STUB lines in place of the solution region. nbgrader knows
no STUB marker: its notebooks show the shipped program as comments above the usual stub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course, Topic
from grader.errors import GraderError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_BEGIN = "### BEGIN STUB"
STUB_END = "### END STUB"
_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (?:BEGIN|END) SOLUTION)\s*$")
_STUB_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>### (?:BEGIN|END) STUB)\s*$")
# nbgrader's stub text, so the .py exercises and the nbgrader notebooks look the same.
STUB_COMMENT = "# YOUR CODE HERE"
STUB_RAISE = f"raise {NotImplementedError.__name__}()"


def stub_from_solution(text: str, source: str = "<solution>") -> str:
    """The stub for a solution's text; unbalanced or nested markers raise GraderError."""
    out: list[str] = []
    open_at: int | None = None
    stub_at: int | None = None  # line of an open ### BEGIN STUB
    shipped: list[str] | None = None  # uncommented STUB lines waiting for their SOLUTION region
    replace_next = False  # the SOLUTION region that follows a STUB region becomes the shipped lines
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        bare = line.rstrip("\n")
        stub_match = _STUB_MARKER.match(bare)
        if stub_match is not None:
            if open_at is not None:
                raise GraderError(f"{source}:{lineno}: {stub_match['marker']} inside the region opened at line {open_at}")
            if stub_match["marker"] == STUB_BEGIN:
                if stub_at is not None or shipped is not None:
                    raise GraderError(f"{source}:{lineno}: {STUB_BEGIN} inside the stub region opened at line "
                                      f"{stub_at}")
                stub_at, shipped = lineno, []
            else:
                if stub_at is None:
                    raise GraderError(f"{source}:{lineno}: {STUB_END} without a {STUB_BEGIN}")
                stub_at, replace_next = None, True
            continue
        if stub_at is not None:
            assert shipped is not None
            shipped.append(_uncomment(line, source, lineno))
            continue
        match = _MARKER.match(bare)
        if match is None:
            if replace_next:
                raise GraderError(f"{source}:{lineno}: a {STUB_END} must be followed at once by {BEGIN}")
            if open_at is None:
                out.append(line)
            continue
        indent, marker = match["indent"], match["marker"]
        if marker == BEGIN:
            if open_at is not None:
                raise GraderError(f"{source}:{lineno}: {BEGIN} inside the region opened at line {open_at}")
            open_at = lineno
            if replace_next:
                assert shipped is not None
                out.extend(shipped)
                shipped, replace_next = None, False
                continue
            out.append(f"{indent}{STUB_COMMENT}\n")
            if indent:
                out.append(f"{indent}{STUB_RAISE}\n")
        else:
            if open_at is None:
                raise GraderError(f"{source}:{lineno}: {END} without a {BEGIN}")
            open_at = None
    if open_at is not None:
        raise GraderError(f"{source}:{open_at}: {BEGIN} is never closed by {END}")
    if stub_at is not None:
        raise GraderError(f"{source}:{stub_at}: {STUB_BEGIN} is never closed by {STUB_END}")
    if replace_next:
        raise GraderError(f"{source}: the last {STUB_END} must be followed at once by {BEGIN}")
    return "".join(out)


def _uncomment(line: str, source: str, lineno: int) -> str:
    """A STUB line without its comment mark: ``    # x = 1`` -> ``    x = 1``; ``    #`` -> empty."""
    body = line.rstrip("\n")
    stripped = body.lstrip(" \t")
    if not stripped:
        return "\n"
    if not stripped.startswith("#"):
        raise GraderError(f"{source}:{lineno}: a line inside {STUB_BEGIN} must be commented out with '# '")
    indent = body[: len(body) - len(stripped)]
    rest = stripped[1:]
    return f"{indent}{rest[1:] if rest.startswith(' ') else rest}\n" if rest.strip() else "\n"


def strip_markers(text: str) -> str:
    """The solution as a plain module (what students' finished work looks like): no markers, no
    STUB regions (the shipped program of a "fix this" exercise)."""
    out, in_stub = [], False
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\n")
        stub = _STUB_MARKER.match(bare)
        if stub is not None:
            in_stub = stub["marker"] == STUB_BEGIN
            continue
        if not in_stub and not _MARKER.match(bare):
            out.append(line)
    return "".join(out)


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
