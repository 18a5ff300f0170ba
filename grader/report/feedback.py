"""What a student reads about a result, before any format: the one model Markdown, HTML and the
terminal table render, so that they say the same thing.

Failures are grouped by exercise. Runs of one test that failed the same way under several start
methods (``[fork]``, ``[spawn]``, ``[forkserver]``) are one entry listing the methods (a long list of
cases is counted); when every test of an exercise failed the same way (a stub's "not done yet"),
the exercise has one entry. A message
shared by several topics (an unreadable zip costs every topic) is said once. At most
``MAX_FAILURES`` entries are kept per student; the rest are counted (``... and 14 more failures``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from grader.i18n import tr
from grader.result import ErrorKind, FlagCode, GradeResult, Status, TestResult, TopicResult

MAX_FAILURES = 25
"""Failure entries shown per student; the others are only counted."""
MAX_VARIANTS = 4
"""Parametrisations named in one entry; more are counted (``and 29 more cases``)."""
_PARAM = re.compile(r"^(?P<base>.*?)\[(?P<param>[^\[\]]*)\]$")


@dataclass(frozen=True)
class Failure:
    test: str
    """The test's name within its file, without the parametrisation (``TestX::test_y``)."""
    variants: tuple[str, ...]
    """The parametrisations that failed this way (``fork``, ``spawn``), or () for a plain test."""
    status: Status
    message: str
    hint: str
    score: float
    max_score: float

    @property
    def label(self) -> str:
        if not self.variants:
            return self.test
        shown = self.variants if len(self.variants) <= MAX_VARIANTS else self.variants[:MAX_VARIANTS - 1]
        more = len(self.variants) - len(shown)
        return f"{self.test} [{', '.join(shown)}{tr(', and {count} more cases', count=more) if more else ''}]"


@dataclass(frozen=True)
class ExerciseFeedback:
    name: str
    score: float
    max_score: float
    failures: tuple[Failure, ...]


@dataclass(frozen=True)
class TopicFeedback:
    id: str
    title: str
    score: float
    max_score: float
    status: Status
    error_kind: ErrorKind | None
    message: str
    """Why the topic could not be graded; empty when it was, or when ``Feedback.shared`` says it."""
    exercises: tuple[ExerciseFeedback, ...]


@dataclass(frozen=True)
class Feedback:
    score: float
    max_score: float
    topics: tuple[TopicFeedback, ...]
    shared: tuple[tuple[str, tuple[str, ...]], ...]
    """Messages that several topics share, each with those topics' ids: said once."""
    left_out: int
    """Failure entries beyond ``MAX_FAILURES``, not shown."""


def error_kind(result: GradeResult, topic: TopicResult) -> ErrorKind | None:
    """The kind of a topic's problem: as graded, or (for results built without one) inferred."""
    if topic.error_kind is not None:
        return topic.error_kind
    if topic.message:
        unreadable = any(f.code is FlagCode.UNREADABLE_SUBMISSION for f in result.flags)
        return ErrorKind.UNREADABLE_SUBMISSION if unreadable else ErrorKind.TESTS_UNAVAILABLE
    failed = [t for t in topic.tests if t.status is not Status.PASSED]
    if failed and len(failed) == len(topic.tests) and all(t.message.startswith("importing ") for t in failed):
        return ErrorKind.IMPORT_ERROR
    return None


def build(result: GradeResult, limit: int = MAX_FAILURES) -> Feedback:
    messages = [t.message for t in result.topics if t.message]
    shared_messages = [m for m in dict.fromkeys(messages) if messages.count(m) > 1]
    shared = tuple((m, tuple(t.id for t in result.topics if t.message == m)) for m in shared_messages)
    room = limit
    topics = []
    for topic in result.topics:
        exercises = []
        for name, tests in _by_exercise(topic).items():
            failures = _failures(topic, tests)
            kept, room = failures[:max(room, 0)], room - len(failures)
            exercises.append(ExerciseFeedback(name, math.fsum(t.score for t in tests),
                                              math.fsum(t.max_score for t in tests), tuple(kept)))
        message = "" if topic.message in shared_messages else topic.message
        topics.append(TopicFeedback(topic.id, topic.title, topic.score, topic.max_score, topic.status,
                                    error_kind(result, topic), message, tuple(exercises)))
    return Feedback(result.score, result.max_score, tuple(topics), shared, max(-room, 0))


def _by_exercise(topic: TopicResult) -> dict[str, list[TestResult]]:
    groups: dict[str, list[TestResult]] = {}
    for test in topic.tests:
        groups.setdefault(test.exercise or "(unassigned)", []).append(test)
    return groups


def _failures(topic: TopicResult, tests: list[TestResult]) -> list[Failure]:
    """One entry per (test, status, message, hint): the parametrisations that share them listed."""
    groups: dict[tuple[str, Status, str, str], list[TestResult]] = {}
    variants: dict[tuple[str, Status, str, str], list[str]] = {}
    for test in tests:
        if test.status is Status.PASSED or (topic.message and test.message == topic.message):
            continue
        name = test.id.split("::", 1)[1] if "::" in test.id else test.id
        match = _PARAM.match(name)
        key = (match.group("base") if match else name, test.status, test.message, test.hint)
        groups.setdefault(key, []).append(test)
        if match:
            variants.setdefault(key, []).append(match.group("param"))
    failures = [Failure(key[0], tuple(variants.get(key, ())), key[1], key[2], key[3],
                        math.fsum(t.score for t in group), math.fsum(t.max_score for t in group))
                for key, group in groups.items()]
    if len(failures) > 1 and len({(f.status, f.message, f.hint) for f in failures}) == 1:
        # Every test of the exercise failed the same way (a stub's "not done yet", an import
        # error): one entry says it once.
        first = failures[0]
        return [Failure(tr("all {count} tests", count=len(failures)), (), first.status, first.message, first.hint,
                        math.fsum(f.score for f in failures), math.fsum(f.max_score for f in failures))]
    return failures


def left_out_line(count: int, where: str = "(not shown)") -> str:
    """``... and 14 more failures (not shown)``, in the student's language."""
    english = "... and {count} more failure {where}" if count == 1 else "... and {count} more failures {where}"
    return tr(english, count=count, where=tr(where))


def label(english: str) -> str:
    """A heading, column name or status word of the feedback, in the student's language."""
    return tr(english)


def points(value: float) -> str:
    """Points for people: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
