"""Turn test outcomes into points, statuses, messages and hints (weights from course.yml)."""

from __future__ import annotations

from grader.course import Course, Topic
from grader.grading.diagnose import hint_for, reword
from grader.grading.localise import localise
from grader.grading.messages import clean
from grader.grading.records import TestRun
from grader.result import ErrorKind, Flag, FlagCode, Status, TestResult, TopicResult, shares
from grader.sandboxed.protocol import TestOutcome

_STATUS = {TestOutcome.PASSED: Status.PASSED, TestOutcome.FAILED: Status.FAILED, TestOutcome.ERROR: Status.ERROR,
           TestOutcome.TIMEOUT: Status.TIMEOUT}


def topic_points(course: Course, topic: Topic) -> int:
    return sum(course.points(e) for e in topic.exercises)


def score_topic(course: Course, topic: Topic, manifest: list[str], outcomes: dict[str, TestRun],
                flags: list[Flag], message: str = "", kind: ErrorKind | None = None) -> TopicResult:
    """One TopicResult: each exercise's points are shared by the tests it selects (``result.shares``:
    equal up to about 1e-6, summing to the points exactly)."""
    flags = list(flags)
    by_exercise: dict[str, list[str]] = {e.name: [] for e in topic.exercises}
    unassigned = []
    for test_id in manifest:
        exercise = topic.exercise_for(_name(test_id))
        if exercise is None:
            unassigned.append(test_id)
        else:
            by_exercise[exercise.name].append(test_id)
    if unassigned:
        flags.append(Flag(FlagCode.UNASSIGNED_TEST, f"{len(unassigned)} test(s) belong to no exercise in course.yml "
                          f"(worth 0 points), e.g. {unassigned[0]}"))
    for name, ids in by_exercise.items():
        if not ids and manifest:
            flags.append(Flag(FlagCode.EXERCISE_WITHOUT_TESTS, f"exercise {name} selects no hidden test"))
    share_of: dict[str, float] = {}
    for e in topic.exercises:
        ids = by_exercise[e.name]
        share_of.update(zip(ids, shares(course.points(e), len(ids)), strict=True))
    tests = []
    for test_id in manifest:
        exercise = topic.exercise_for(_name(test_id))
        share = share_of.get(test_id, 0.0)
        outcome = outcomes.get(test_id) or TestRun(test_id, TestOutcome.ERROR, message or "no result was reported")
        status, text = _status(outcome)
        hint = ""
        if status is not Status.PASSED:
            text = reword(topic, exercise, clean(topic, text))
            hint = hint_for(exercise, _name(test_id), text)
        tests.append(TestResult(test_id, exercise.name if exercise else None, status, share, text, hint,
                                round(outcome.duration, 3)))
    flags = [Flag(f.code, f.message, topic.id) for f in _dedupe(flags)]
    if message and kind is None:
        kind = ErrorKind.TESTS_UNAVAILABLE
    return localise(course, topic, TopicResult(
        topic.id, topic.title, tuple(tests), tuple(flags), message,
        max_points=float(topic_points(course, topic)), error_kind=kind if message else None))


def _status(outcome: TestRun) -> tuple[Status, str]:
    if outcome.outcome is TestOutcome.SKIPPED:
        # A skip earns nothing: student code could call pytest.skip() itself.
        return Status.FAILED, f"the test was skipped ({outcome.message}); skipped tests earn no points"
    return _STATUS[outcome.outcome], outcome.message


def _name(test_id: str) -> str:
    """``test_pools.py::TestX::test_y[spawn]`` -> ``TestX::test_y[spawn]``."""
    return test_id.split("::", 1)[1] if "::" in test_id else test_id


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen, out = set(), []
    for flag in flags:
        key = (flag.code, flag.message)
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return out
