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


@dataclass(frozen=True)
class Flag:
    """Something an instructor should look at; it never changes a score by itself."""

    code: str
    message: str
    topic: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "topic": self.topic, "message": self.message}


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
