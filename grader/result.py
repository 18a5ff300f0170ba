"""The result model: frozen data, no I/O. Renderers in ``grader.report`` turn it into text.

Scores and statuses are derived, never stored twice: a test's score follows from its status,
a topic's from its tests, the grade's from its topics.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum

SCHEMA = "grader-result/1"
MAX_FLAGS_PER_CODE = 10
"""Flags of one code kept per result; the rest are counted in one ``N more <code> flags`` flag."""
MAX_FLAG_MESSAGE = 500
SHARE_GRID = 2 ** 20
"""Per-test shares are whole multiples of 1/2**20 (about 1e-6): such numbers, and their sums up to
thousands of points, are exact in binary floating point, so any consumer that adds shares up in
any order (GitHub Classroom's reporter, a spreadsheet, ``sum()``) gets the exercise's points exactly."""


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
    SYMLINK_REFUSED = "symlink-refused"
    """A symbolic link on the way to a submission file; never followed (``grading.intake``)."""
    SUSPICIOUS_CODE = "suspicious-code"
    """The submission's code does something no exercise needs (``grading.suspicious``)."""
    TAMPERING = "tampering"
    """Code in the run replaced the test machinery or forged a pass (``sandboxed.integrity``)."""
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


class ErrorKind(str, Enum):
    """Why a topic could not be graded (``TopicResult.error_kind``; ``error_kind`` in the JSON)."""

    MISSING_MODULE = "missing-module"
    """The submission has no (readable, regular) ``<module>.py`` for the topic."""
    SYNTAX_ERROR = "syntax-error"
    """The module does not compile."""
    UNREADABLE_SUBMISSION = "unreadable-submission"
    """The submission itself could not be read (a bad zip, a missing folder)."""
    IMPORT_ERROR = "import-error"
    """The module compiles but importing it fails (every failed test says so)."""
    TESTS_UNAVAILABLE = "tests-unavailable"
    """The tests could not be listed or collected."""


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
    error_kind: ErrorKind | None = None
    """What kind of problem ``message`` describes (None when the topic was graded)."""

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
        """Every flag, at most ``MAX_FLAGS_PER_CODE`` per code (then one that counts the rest),
        each message at most ``MAX_FLAG_MESSAGE`` characters: a submission cannot bury a report."""
        return cap_flags(self.flags + tuple(f for t in self.topics for f in t.flags))


_MORE = re.compile(r"(\d{1,12}) more \S+ flags? not shown\Z")


def cap_flags(flags: tuple[Flag, ...]) -> tuple[Flag, ...]:
    """The first ``MAX_FLAGS_PER_CODE`` flags of each code, then ``N more <code> flags not shown``;
    capping an already capped list changes nothing (a result read back from JSON)."""
    kept: list[Flag] = []
    shown: dict[FlagCode, int] = {}
    more: dict[FlagCode, int] = {}
    for flag in flags:
        counted = _MORE.match(flag.message) if flag.topic is None else None
        if counted:
            more[flag.code] = more.get(flag.code, 0) + int(counted.group(1))
        elif shown.get(flag.code, 0) < MAX_FLAGS_PER_CODE:
            shown[flag.code] = shown.get(flag.code, 0) + 1
            message = flag.message
            if len(message) > MAX_FLAG_MESSAGE:
                keep = MAX_FLAG_MESSAGE - 40  # room for the note: a capped message is not capped again
                message = message[:keep] + f"... ({len(message) - keep} more characters)"
            kept.append(Flag(flag.code, message, flag.topic) if message is not flag.message else flag)
        else:
            more[flag.code] = more.get(flag.code, 0) + 1
    for code, count in more.items():
        kept.append(Flag(code, f"{count} more {code} flag{'s' if count != 1 else ''} not shown"))
    return tuple(kept)


def shares(points: float, count: int) -> list[float]:
    """``points`` split among ``count`` tests: equal shares on the 1/2**20 grid, the remainder one grid
    step each on the last tests, so that the shares differ by at most 1/2**20 and add up to ``points``
    exactly in floating point, in any order."""
    if count <= 0:
        return []
    each, extra = divmod(round(points * SHARE_GRID), count)
    return [each / SHARE_GRID] * (count - extra) + [(each + 1) / SHARE_GRID] * extra
