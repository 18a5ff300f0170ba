"""Course lint against the hidden tests: run before any student code, by the scheduler.

Every exercise must select at least one hidden test, and every hidden test must belong to an
exercise; otherwise points silently vanish (a misspelt ``tests:`` class lowers the maximum). Each
problem is a configuration error: a ``CourseError`` whose one line names course.yml and the key.
A hidden-test file that cannot be listed is not judged here: grading reports it per topic.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.course import Course, Topic
from grader.errors import CourseError

Lister = Callable[[Topic], tuple[list[str], str]]
"""A topic's hidden-test ids (relative to the file, as ``test_x.py::TestX::test_y``) and why they
could not be listed (empty when they could)."""


def check(course: Course, topics: list[Topic], manifest: Lister) -> None:
    """Raise ``CourseError`` for the first exercise that selects no hidden test or hidden test
    that no exercise selects, in course order."""
    for topic in dict.fromkeys(topics):
        ids, why = manifest(topic)
        if why:
            continue
        problem = problem_of(course, topic, [i.split("::", 1)[1] if "::" in i else i for i in ids])
        if problem:
            raise CourseError(f"{course.course_file}: {problem}")


def problem_of(course: Course, topic: Topic, names: list[str]) -> str:
    """The first problem of one topic as ``key: what is wrong``, or ``""``."""
    t = course.topics.index(topic)
    hidden = topic.hidden
    for e, exercise in enumerate(topic.exercises):
        if not any(exercise.selects(name) for name in names):
            key = f"topics[{t}].exercises[{e}]"
            if "tests" in exercise.model_fields_set:
                return (f"{key}.tests: {exercise.tests!r} selects no hidden test in {hidden} "
                        f"(misspelt, or a class without tests?)")
            return (f"{key} ({exercise.name}): selects no hidden test in {hidden} (no tests: key, so it looks "
                    f"for {exercise.tests}; name the class with tests:, or add tests to it)")
    orphans = [name for name in names if topic.exercise_for(name) is None]
    if orphans:
        more = f" and {len(orphans) - 1} more" if len(orphans) > 1 else ""
        return (f"topics[{t}].exercises: no exercise's tests: selects {orphans[0]}{more} in {hidden} "
                f"(add an exercise for it, or name it in an exercise's tests:)")
    return ""
