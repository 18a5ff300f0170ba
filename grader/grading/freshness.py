"""What a stored result was graded against, and whether it still holds.

Every result the grader stores (``batch``'s ``<student>.json``, ``grade --format json``) carries a
``graded_against`` record: the topics graded, a SHA-256 of course.yml, one of the hidden tests of
those topics (every file of their folders, and the probes they call) and the grader's version. ``batch`` regrades a result
whose record differs from the current course, or that has none, and ``merge`` refuses to join
results whose records differ (``--allow-mixed`` accepts them).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import __version__
from grader.course import Course, Topic
from grader.result import GradeResult

_PROBES = Path(__file__).resolve().parent.parent / "probes"
KEY = "graded_against"
"""The optional field of a ``grader-result/1`` document that holds the record."""


@dataclass(frozen=True)
class Basis:
    topics: tuple[str, ...]
    course_yml: str
    """SHA-256 of course.yml as read."""
    hidden_tests: str
    """SHA-256 over the hidden-test folders of ``topics`` and ``grader/probes`` (names and contents)."""
    grader_version: str

    def as_dict(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "course_yml_sha256": self.course_yml,
                "hidden_tests_sha256": self.hidden_tests, "grader_version": self.grader_version}

    @classmethod
    def from_document(cls, document: Any) -> Basis | None:
        """The record of a result document; None when it has none (written by an older grader)."""
        raw = document.get(KEY) if isinstance(document, dict) else None
        if not isinstance(raw, dict):
            return None
        try:
            return cls(tuple(str(t) for t in raw["topics"]), str(raw["course_yml_sha256"]),
                       str(raw["hidden_tests_sha256"]), str(raw["grader_version"]))
        except (KeyError, TypeError):
            return None

    def short(self) -> str:
        """One line for a message: the course and hidden tests by the first digits of their hashes."""
        return (f"course.yml {self.course_yml[:8]}, hidden tests {self.hidden_tests[:8]}, "
                f"grader {self.grader_version}, {len(self.topics)} topic(s)")


def current(course: Course, topics: list[Topic]) -> Basis:
    """What grading ``topics`` of ``course`` now is graded against."""
    digest = hashlib.sha256()
    # The probes decide verdicts as much as the tests that call them: a changed probe without a
    # version bump still makes earlier results stale.
    folders = [(course.hidden_tests(t).parent, course.root) for t in sorted(topics, key=lambda t: t.id)]
    folders.append((_PROBES, _PROBES.parent.parent))
    for folder, root in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            name = path.relative_to(root).as_posix().encode("utf-8", "surrogateescape")
            content = path.read_bytes()
            digest.update(b"%d:%s%d:" % (len(name), name, len(content)) + content)
    course_yml = hashlib.sha256(course.course_file.read_bytes()).hexdigest()
    return Basis(tuple(t.id for t in topics), course_yml, digest.hexdigest(), __version__)


def why_stale(stored: Basis | None, now: Basis) -> str:
    """Why a result graded against ``stored`` is not a result for ``now`` ("" when it is)."""
    if stored is None:
        return "no record of what it was graded against"
    if set(stored.topics) != set(now.topics):
        return "graded on other topics"
    if stored.course_yml != now.course_yml:
        return "course.yml changed"
    if stored.hidden_tests != now.hidden_tests:
        return "hidden tests changed"
    if stored.grader_version != now.grader_version:
        return "another grader version"
    return ""


def stale(path: Path, now: Basis) -> str:
    """Why the stored result at ``path`` must be graded again ("" when it stands); a file that
    is missing says so, one that is not a result is regraded, never a crash."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "new"
    except (OSError, ValueError):
        return "not a valid result file"
    if not isinstance(document, dict) or not isinstance(document.get("topics"), list):
        return "not a valid result file"
    return why_stale(Basis.from_document(document), now)


def document(result: GradeResult, basis: Basis, **extra: Any) -> dict[str, Any]:
    """The ``grader-result/1`` document of ``result`` with its record (and ``extra`` fields first)."""
    from grader.report import json_result

    return {**extra, **json_result.as_dict(result), KEY: basis.as_dict()}


def render(result: GradeResult, basis: Basis) -> str:
    """``grade --format json``: the JSON result with what it was graded against."""
    return json.dumps(document(result, basis), indent=2) + "\n"
