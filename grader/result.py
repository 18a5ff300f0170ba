"""The result model: frozen data, no I/O. Renderers in ``grader.report`` turn it into text.

Scores and statuses are derived, never stored twice: a test's score follows from its status,
a topic's from its tests, the grade's from its topics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

SCHEMA = "grader-result/1"


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"


class FlagCode(str, Enum):
    """Why an instructor should look (the ``code`` of a flag in every report)."""

    SANDBOX = "sandbox"
    """The sandbox tier on this host lacks something (SECURITY.md)."""
    MANIFEST = "manifest"
    """The hidden tests could not be listed."""
    IGNORED_FILE = "ignored-file"
    """The submission holds a file intake never takes (conftest.py, *.pth, ...)."""
    SUSPICIOUS_CODE = "suspicious-code"
    """The submission's code does something no exercise needs (``grading.suspicious``)."""
    GRADER_ERROR = "grader-error"
    """The grader itself failed on this topic."""
    BAD_RECORD = "bad-record"
    FORGED_RECORD = "forged-record"
    UNEXPECTED_TEST = "unexpected-test"
    CONFLICTING_RECORD = "conflicting-record"
    MISSING_RECORD = "missing-record"
    NO_PROGRESS = "no-progress"
    COLLECTION_MISMATCH = "collection-mismatch"
    UNASSIGNED_TEST = "unassigned-test"
    """A hidden test selected by no exercise of course.yml (worth nothing)."""
    EXERCISE_WITHOUT_TESTS = "exercise-without-tests"
    UNREADABLE_SUBMISSION = "unreadable-submission"

    def __str__(self) -> str:  # in any f-string, the code as reports write it
        return self.value


@dataclass(frozen=True)
class Flag:
    """Something an instructor should look at; it never changes a score by itself."""

    code: FlagCode
    message: str
    topic: str | None = None

    def __post_init__(self) -> None:
        # A code read back from a report (or written as text) is checked here: unknown is an error.
        object.__setattr__(self, "code", FlagCode(self.code))

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code.value, "topic": self.topic, "message": self.message}


@dataclass(frozen=True)
class TestResult:
    id: str
    exercise: str | None
    status: Status
    max_score: float
    message: str = ""
    hint: str = ""
    duration_s: float = 0.0

    __test__ = False  # not a pytest test class

    @property
    def score(self) -> float:
        return self.max_score if self.status is Status.PASSED else 0.0


@dataclass(frozen=True)
class TopicResult:
    id: str
    title: str
    tests: tuple[TestResult, ...]
    flags: tuple[Flag, ...] = ()
    message: str = ""
    """Why the topic as a whole could not be graded (missing file, syntax error); empty otherwise."""
    max_points: float | None = None
    """The topic's points from course.yml, used when no test could be listed."""

    @property
    def score(self) -> float:
        return math.fsum(t.score for t in self.tests)

    @property
    def max_score(self) -> float:
        if self.max_points is not None and not self.tests:
            return self.max_points
        return math.fsum(t.max_score for t in self.tests)

    @property
    def status(self) -> Status:
        if self.message:
            return Status.ERROR
        if self.tests and all(t.status is Status.PASSED for t in self.tests):
            return Status.PASSED
        if self.tests and all(t.status is Status.TIMEOUT for t in self.tests if t.status is not Status.PASSED):
            return Status.TIMEOUT
        return Status.FAILED if self.tests else Status.ERROR


@dataclass(frozen=True)
class GradeResult:
    topics: tuple[TopicResult, ...]
    sandbox: str
    flags: tuple[Flag, ...] = field(default=())
    """Flags that belong to no single topic; ``all_flags`` adds the topics' own."""

    @property
    def score(self) -> float:
        return math.fsum(t.score for t in self.topics)

    @property
    def max_score(self) -> float:
        return math.fsum(t.max_score for t in self.topics)

    @property
    def all_flags(self) -> tuple[Flag, ...]:
        return self.flags + tuple(f for t in self.topics for f in t.flags)
